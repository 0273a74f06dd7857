package dev.reclaimlab.yaml;

/**
 * A value read from a YAML file, with where it was written. Three kinds, as in YAML: {@link MapNode},
 * {@link ListNode} and {@link ScalarNode}. Bind them with {@link Binder} and {@link Fields}.
 */
public sealed interface Node permits MapNode, ListNode, ScalarNode {

    /** Where the value starts; for a block map, where its first key starts. */
    Location at();

    /** The value as an error message shows it after "got": {@code "abc"}, {@code 42}, {@code a map}, ... */
    String describe();
}
