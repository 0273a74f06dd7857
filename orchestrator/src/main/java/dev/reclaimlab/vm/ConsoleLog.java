package dev.reclaimlab.vm;

import dev.reclaimlab.boot.ConsoleWatch;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** A VM's serial console log, read while it grows: its last lines, and what tells that a boot went wrong. */
final class ConsoleLog {
    /** What the guest's boot script prints when a step fails. */
    static final String BOOT_FAILED = "lab-vm: FAILED: ";
    private static final int TAIL_BYTES = 64 * 1024;

    private final Path file;

    ConsoleLog(Path file) {
        this.file = file;
    }

    Path file() {
        return file;
    }

    /** The last {@code lines} lines (fewer if the log is short). */
    String tail(int lines) {
        String text = lastBytes(TAIL_BYTES);
        String[] all = text.split("\r?\n", -1);
        int from = Math.max(0, all.length - lines - (text.endsWith("\n") ? 1 : 0));
        StringBuilder out = new StringBuilder();
        for (int i = from; i < all.length; i++) {
            if (i == all.length - 1 && all[i].isEmpty()) {
                break;
            }
            out.append(all[i]).append('\n');
        }
        return out.toString();
    }

    /** The first line saying the boot failed (a panic, or a failed step of the boot script), if any. */
    Optional<String> failure() {
        String text = lastBytes(Integer.MAX_VALUE);
        for (String line : text.split("\r?\n")) {
            if (line.contains(BOOT_FAILED)) {
                return Optional.of(line.substring(line.indexOf(BOOT_FAILED)).strip());
            }
            if (ConsoleWatch.classify(line).filter(ConsoleWatch.Kind::fatal).isPresent()) {
                return Optional.of(line.strip()); // a panic: the one console reading that ends a boot
            }
        }
        return Optional.empty();
    }

    private String lastBytes(int max) {
        try {
            if (!Files.exists(file)) {
                return "";
            }
            try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
                long length = f.length();
                long from = Math.max(0, length - max);
                byte[] bytes = new byte[(int) Math.min(Integer.MAX_VALUE - 8, length - from)];
                f.seek(from);
                f.readFully(bytes);
                return new String(bytes, StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            return "";
        }
    }
}
