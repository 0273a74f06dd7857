package dev.reclaimlab.yaml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class YamlReaderTest {
    @TempDir
    Path dir;

    private Path write(String yaml) throws IOException {
        Path file = dir.resolve("c.yaml");
        Files.writeString(file, yaml);
        return file;
    }

    /** Problems as {@code c.yaml:line:col: message}. */
    private List<String> problems(String yaml) throws IOException {
        ConfigException e = assertThrows(ConfigException.class, () -> YamlReader.read(write(yaml)));
        for (Problem p : e.problems()) {
            assertFalse(p.message().matches("(?s).*\\b(com|org|java)\\.[a-z]+\\..*"), p.message());
        }
        return e.problems().stream()
                .map(p -> new Problem(new Location(p.at().file().getFileName(), p.at().line(), p.at().column()),
                        p.message()).render())
                .toList();
    }

    @Test
    void keepsLocationsAndTypes() throws Exception {
        Node root = YamlReader.read(write("# a comment\n\nname: x\nlist:\n  - 1\n  - \"2\"\n  - {a: yes, b: ~}\n"
                + "n: 0x10\nf: 1.5\n"));
        MapNode map = assertInstanceOf(MapNode.class, root);
        assertEquals(3, map.at().line());
        assertEquals(1, map.at().column());
        assertEquals(List.of("name", "list", "n", "f"), List.copyOf(map.keys()));
        MapNode.Entry name = map.entry("name").orElseThrow();
        assertEquals(new Location(root.at().file(), 3, 1), name.keyAt());
        assertEquals(new Location(root.at().file(), 3, 7), name.value().at());
        ListNode list = assertInstanceOf(ListNode.class, map.get("list").orElseThrow());
        assertEquals(5, list.at().line());
        assertEquals(3, list.at().column());
        ScalarNode one = assertInstanceOf(ScalarNode.class, list.items().get(0));
        assertEquals(ScalarNode.Kind.INT, one.kind());
        assertEquals(BigInteger.ONE, one.integer());
        assertEquals(new Location(root.at().file(), 5, 5), one.at());
        ScalarNode two = (ScalarNode) list.items().get(1);
        assertEquals(ScalarNode.Kind.STRING, two.kind());
        assertEquals("2", two.text());
        MapNode flow = (MapNode) list.items().get(2);
        assertEquals(ScalarNode.Kind.BOOL, ((ScalarNode) flow.get("a").orElseThrow()).kind());
        assertTrue(((ScalarNode) flow.get("a").orElseThrow()).booleanValue());
        assertTrue(((ScalarNode) flow.get("b").orElseThrow()).isNull());
        ScalarNode hex = (ScalarNode) map.get("n").orElseThrow();
        assertEquals(BigInteger.valueOf(16), hex.integer());
        assertEquals("0x10", hex.text());
        assertEquals(ScalarNode.Kind.FLOAT, ((ScalarNode) map.get("f").orElseThrow()).kind());
    }

    @Test
    void emptyFileIsANullAtTheStart() throws Exception {
        for (String empty : List.of("", "# nothing here\n", "\n\n")) {
            Node root = YamlReader.read(write(empty));
            ScalarNode s = assertInstanceOf(ScalarNode.class, root);
            assertTrue(s.isNull());
            assertEquals(1, s.at().line());
            assertEquals(1, s.at().column());
        }
    }

    @Test
    void duplicateKeysAreReportedAtTheSecond() throws Exception {
        assertEquals(List.of(
                        "c.yaml:3:1: duplicate key 'a' (first given at line 1, column 1)",
                        "c.yaml:5:10: duplicate key 'x' (first given at line 5, column 4)"),
                problems("a: 1\nb: 2\na: 3\nc:\n  {x: 1, x: 2}\n"));
    }

    @Test
    void syntaxErrorsInWords() throws Exception {
        assertEquals(List.of("c.yaml:2:4: YAML syntax error: mapping values are not allowed here"),
                problems("a: 1\nb: : 2\n"));
        assertEquals(List.of("c.yaml:2:1: YAML syntax error: found unexpected end of stream "
                        + "(while scanning a quoted scalar that starts at line 1, column 4)"),
                problems("a: 'unterminated\n"));
        assertEquals(List.of("c.yaml:2:1: YAML syntax error: a tab character here; YAML indentation must use spaces"),
                problems("a:\n\t- b\n"));
        assertEquals(List.of("c.yaml:1:21: YAML syntax error: expected ',' or '}', but got { (while parsing a flow "
                        + "mapping that starts at line 1, column 5); inside [ ] or { }, quote values that contain ${...}"),
                problems("dd: {if: x, count: ${mb}}\n"));
        assertEquals(List.of("c.yaml:1:1: map keys must be plain values (a name or a number), not lists or maps"),
                problems("? [a]\n: 1\n").stream().map(s -> s.replaceFirst(":1:\\d+:", ":1:1:")).toList());
    }

    @Test
    void aliasesAndSecondDocumentsAreRefused() throws Exception {
        assertEquals(List.of("c.yaml:2:4: YAML aliases (*x) are not supported; write the value out"),
                problems("a: &x 1\nb: *x\n"));
        assertEquals(List.of("c.yaml:3:1: a second YAML document starts here; a file holds only one "
                        + "(remove the '---' line and what follows, or merge the two)"),
                problems("a: 1\n---\nb: 2\n"));
    }

    @Test
    void unreadableFiles() throws Exception {
        Path missing = dir.resolve("missing.yaml");
        ConfigException e = assertThrows(ConfigException.class, () -> YamlReader.read(missing));
        assertEquals(missing + ": no such file", e.getMessage());
        Path binary = dir.resolve("b.yaml");
        Files.write(binary, new byte[] {'a', ':', ' ', (byte) 0xff, (byte) 0xfe});
        e = assertThrows(ConfigException.class, () -> YamlReader.read(binary));
        assertEquals(binary + ": not UTF-8 text", e.getMessage());
        e = assertThrows(ConfigException.class, () -> YamlReader.read(dir));
        assertEquals(dir + ": is a directory, not a YAML file", e.getMessage());
    }

    @Test
    void byteOrderMarkIsIgnored() throws Exception {
        Path file = dir.resolve("bom.yaml");
        Files.write(file, ("\uFEFFa: 1\n").getBytes(StandardCharsets.UTF_8));
        MapNode map = assertInstanceOf(MapNode.class, YamlReader.read(file));
        assertEquals(1, map.entry("a").orElseThrow().keyAt().column());
    }

    @Test
    void problemsAreSortedAndRendered() {
        Path f = Path.of("p.yaml");
        ConfigException e = new ConfigException(List.of(
                new Problem(new Location(f, 9, 2), "b"),
                new Problem(new Location(f, 2, 10), "a"),
                new Problem(new Location(f, 2, 3), "c"),
                new Problem(new Location(f, 2, 3), "c")));
        assertEquals("p.yaml:2:3: c\np.yaml:2:10: a\np.yaml:9:2: b", e.getMessage());
        assertEquals(3, e.problems().size());
    }

    @Test
    void suggestions() {
        assertEquals("memory_limit", Suggest.closest("memory_limt", List.of("path", "memory_limit")).orElseThrow());
        assertEquals("swappiness", Suggest.closest("swapiness", List.of("swap_max", "swappiness")).orElseThrow());
        assertEquals("bs", Suggest.closest("sb", List.of("if", "of", "bs")).orElseThrow());
        assertTrue(Suggest.closest("zzzzzz", List.of("path", "name")).isEmpty());
        assertTrue(Suggest.closest("x", List.of("if")).isEmpty());
    }
}
