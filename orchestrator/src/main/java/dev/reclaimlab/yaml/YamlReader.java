package dev.reclaimlab.yaml;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads a YAML file into a {@link Node} tree that remembers where every value was written. Problems (unreadable
 * file, syntax errors, repeated keys, aliases) are reported with their location, in words, never as a parser's
 * exception text.
 *
 * <p>An empty document (nothing, or only comments) reads as a null {@link ScalarNode} at 1:1, so the caller's
 * "expected a map" check covers it.
 */
public final class YamlReader {
    /** Plans and inventories are small; anything bigger is a mistake (a wrong file). */
    public static final int MAX_BYTES = 1 << 20;

    /** An empty value ({@code key:}) is null, as YAML says and as Jackson's own mappers read it. */
    private static final YAMLFactory FACTORY = YAMLFactory.builder()
            .enable(YAMLParser.Feature.EMPTY_STRING_AS_NULL)
            .build();

    private YamlReader() {}

    /** Reads and parses {@code file}; throws if anything at all is wrong with it as YAML. */
    public static Node read(Path file) throws ConfigException {
        Problems problems = new Problems();
        Optional<Node> root = read(file, problems);
        problems.throwIfAny();
        return root.orElseThrow();
    }

    /**
     * Reads and parses {@code file}, adding what is wrong to {@code problems}. Empty when the file could not be
     * read or parsed at all; repeated keys are reported but still give a tree (with the first value).
     */
    public static Optional<Node> read(Path file, Problems problems) {
        if (Files.isDirectory(file)) {
            problems.add(Problem.ofFile(file, "is a directory, not a YAML file"));
            return Optional.empty();
        }
        byte[] bytes;
        try {
            if (Files.size(file) > MAX_BYTES) {
                problems.add(Problem.ofFile(file, "file is too large for a YAML configuration (more than "
                        + (MAX_BYTES >> 20) + " MiB)"));
                return Optional.empty();
            }
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            problems.add(Problem.ofFile(file, "no such file"));
            return Optional.empty();
        } catch (AccessDeniedException e) {
            problems.add(Problem.ofFile(file, "permission denied"));
            return Optional.empty();
        } catch (IOException e) {
            problems.add(Problem.ofFile(file, "cannot read the file"
                    + (e.getMessage() == null ? "" : ": " + e.getMessage())));
            return Optional.empty();
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            problems.add(Problem.ofFile(file, "not UTF-8 text"));
            return Optional.empty();
        }
        return parse(text, file, problems);
    }

    /** Parses YAML text as if read from {@code file} (which only names the locations). */
    public static Optional<Node> parse(String text, Path file, Problems problems) {
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        try (YAMLParser parser = FACTORY.createParser(text)) {
            Tree tree = new Tree(parser, file, problems);
            JsonToken first = parser.nextToken();
            if (first == null) {
                return Optional.of(ScalarNode.nothing(new Location(file, 1, 1)));
            }
            Node root = tree.value(first);
            if (parser.nextToken() != null) {
                problems.add(tree.tokenAt(), "a second YAML document starts here; a file holds only one "
                        + "(remove the '---' line and what follows, or merge the two)");
            }
            return Optional.of(root);
        } catch (Unsupported e) {
            problems.add(e.at, e.getMessage());
            return Optional.empty();
        } catch (JacksonException e) {
            problems.add(syntaxProblem(e, file));
            return Optional.empty();
        } catch (IOException e) {
            problems.add(Problem.ofFile(file, "cannot read the file"));
            return Optional.empty();
        }
    }

    /** Builds the tree from the parser's tokens. */
    private static final class Tree {
        private final YAMLParser parser;
        private final Path file;
        private final Problems problems;

        Tree(YAMLParser parser, Path file, Problems problems) {
            this.parser = parser;
            this.file = file;
            this.problems = problems;
        }

        Location tokenAt() {
            JsonLocation l = parser.currentTokenLocation();
            return new Location(file, Math.max(1, l.getLineNr()), Math.max(1, l.getColumnNr()));
        }

        private JsonToken next() throws IOException {
            JsonToken t = parser.nextToken();
            if (t == null) {
                throw new Unsupported(tokenAt(), "YAML syntax error: unexpected end of the file");
            }
            return t;
        }

        Node value(JsonToken token) throws IOException {
            Location at = tokenAt();
            switch (token) {
                case START_OBJECT: {
                    List<MapNode.Entry> entries = new ArrayList<>();
                    Map<String, Location> seen = new HashMap<>();
                    for (JsonToken t = next(); t != JsonToken.END_OBJECT; t = next()) {
                        if (t != JsonToken.FIELD_NAME) {
                            throw new Unsupported(tokenAt(), "YAML syntax error: expected a key");
                        }
                        String key = parser.currentName();
                        Location keyAt = tokenAt();
                        Node value = value(next());
                        Location first = seen.putIfAbsent(key, keyAt);
                        if (first != null) {
                            problems.add(keyAt, "duplicate key '" + key + "' (first given at line " + first.line()
                                    + ", column " + first.column() + ")");
                        } else {
                            entries.add(new MapNode.Entry(key, keyAt, value));
                        }
                    }
                    return new MapNode(entries, at);
                }
                case START_ARRAY: {
                    List<Node> items = new ArrayList<>();
                    for (JsonToken t = next(); t != JsonToken.END_ARRAY; t = next()) {
                        items.add(value(t));
                    }
                    return new ListNode(items, at);
                }
                case VALUE_STRING:
                    if (parser.isCurrentAlias()) {
                        throw new Unsupported(at, "YAML aliases (*" + parser.getText()
                                + ") are not supported; write the value out");
                    }
                    return ScalarNode.string(parser.getText(), at);
                case VALUE_NUMBER_INT:
                    return ScalarNode.integer(parser.getBigIntegerValue(), parser.getText(), at);
                case VALUE_NUMBER_FLOAT:
                    return new ScalarNode(ScalarNode.Kind.FLOAT, parser.getText(), null, at);
                case VALUE_TRUE:
                case VALUE_FALSE:
                    return new ScalarNode(ScalarNode.Kind.BOOL, parser.getText(), null, at);
                case VALUE_NULL:
                    return new ScalarNode(ScalarNode.Kind.NULL, parser.getText() == null ? "" : parser.getText(),
                            null, at);
                default:
                    throw new Unsupported(at, "unsupported YAML value (binary data or an explicit tag); "
                            + "write plain text, numbers, lists and maps");
            }
        }
    }

    /** A construct we refuse; ends the read like a syntax error. */
    private static final class Unsupported extends RuntimeException {
        final transient Location at;

        Unsupported(Location at, String message) {
            super(message, null, false, false);
            this.at = at;
        }
    }

    /** A parser exception in words and with its place; never the exception's own text with class names. */
    static Problem syntaxProblem(JacksonException e, Path file) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof org.yaml.snakeyaml.error.MarkedYAMLException m) {
                org.yaml.snakeyaml.error.Mark mark = m.getProblemMark() != null ? m.getProblemMark()
                        : m.getContextMark();
                Location at = mark != null ? new Location(file, mark.getLine() + 1, mark.getColumn() + 1)
                        : jacksonLocation(e, file);
                StringBuilder message = new StringBuilder("YAML syntax error: ")
                        .append(words(m.getProblem() != null ? m.getProblem() : m.getContext()));
                org.yaml.snakeyaml.error.Mark ctxMark = m.getContextMark();
                if (m.getProblem() != null && m.getContext() != null && ctxMark != null && mark != null
                        && (ctxMark.getLine() != mark.getLine() || ctxMark.getColumn() != mark.getColumn())) {
                    message.append(" (").append(m.getContext()).append(" that starts at line ")
                            .append(ctxMark.getLine() + 1).append(", column ").append(ctxMark.getColumn() + 1)
                            .append(')');
                }
                if (m.getContext() != null && m.getContext().contains("flow") && m.getProblem() != null
                        && m.getProblem().endsWith("{")) {
                    message.append("; inside [ ] or { }, quote values that contain ${...}");
                }
                return new Problem(at, message.toString());
            }
        }
        String original = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
        String message;
        if (original.startsWith("Expected a field name")) {
            message = "map keys must be plain values (a name or a number), not lists or maps";
        } else if (original.contains("exceeds") || original.contains("limit")) {
            message = "the document is too large or too deeply nested";
        } else {
            message = "YAML syntax error";
        }
        return new Problem(jacksonLocation(e, file), message);
    }

    private static String words(String snakeyamlProblem) {
        if (snakeyamlProblem == null) {
            return "malformed YAML";
        }
        if (snakeyamlProblem.contains("(TAB)")) {
            return "a tab character here; YAML indentation must use spaces";
        }
        return snakeyamlProblem.strip();
    }

    private static Location jacksonLocation(JacksonException e, Path file) {
        JsonLocation l = e.getLocation();
        if (l == null || l.getLineNr() < 1) {
            return new Location(file, 1, 1);
        }
        return new Location(file, l.getLineNr(), Math.max(1, l.getColumnNr()));
    }
}
