package dev.reclaimlab.loader;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * A boot method's record of one host on the orchestrator ({@code $LAB_HOME/boot/HOST.properties}): what lab booted
 * or is about to change there, written whole and made durable before the change, removed once it is undone. With
 * the journal on the host's own disk, it is the second place a crash of lab cannot take away.
 */
final class OrchestratorRecord {
    private final Path file;
    private final String host;

    OrchestratorRecord(Path file, String host) {
        this.file = file;
        this.host = host;
    }

    Path file() {
        return file;
    }

    /** Replaces the record with {@code values} (a temporary file renamed over it) and makes it durable. */
    void write(Map<String, String> values) throws IOException {
        Files.createDirectories(file.getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Properties p = new Properties();
        p.putAll(values);
        try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
            p.store(w, "lab's boot changes on " + host + " (lab cleanup reads it)");
        }
        try (FileChannel c = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
            c.force(true);
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** The record; empty when there is none. */
    Map<String, String> read() throws IOException {
        if (!Files.isRegularFile(file)) {
            return Map.of();
        }
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        }
        Map<String, String> values = new LinkedHashMap<>();
        p.stringPropertyNames().stream().sorted().forEach(k -> values.put(k, p.getProperty(k)));
        return values;
    }

    void delete() throws IOException {
        Files.deleteIfExists(file);
    }
}
