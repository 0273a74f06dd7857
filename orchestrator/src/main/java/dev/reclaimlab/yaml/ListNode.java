package dev.reclaimlab.yaml;

import java.util.List;

/** A YAML sequence. */
public record ListNode(List<Node> items, Location at) implements Node {
    public ListNode {
        items = List.copyOf(items);
    }

    public boolean isEmpty() {
        return items.isEmpty();
    }

    @Override
    public String describe() {
        return items.isEmpty() ? "an empty list" : "a list";
    }
}
