package dev.reclaimlab.host;

import dev.reclaimlab.shell.Sh;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** The POSIX sh scripts lab runs on hosts, kept as files in the jar (src/main/resources/host) so they read as sh. */
public final class HostScripts {
    private static final String FACTS = load("/host/facts.sh");
    private static final String LIBRARY = load("/host/lib.sh");
    private static final String GRUB = load("/host/grub.sh");
    private static final String KILL_TREE = load("/host/killtree.sh");

    private HostScripts() {}

    /** Read-only probe that prints the host's facts as key=value lines. */
    public static String facts() {
        return FACTS;
    }

    /** Helper functions (journal, cgroup removal, drainers, monitors) installed on the host for each run. */
    public static String library() {
        return LIBRARY;
    }

    /** Boot control through GRUB on the host: probe, journaled menu entry, one-time boot, undo. */
    public static String grub() {
        return GRUB;
    }

    /**
     * A command that calls one function of lib.sh without installing it: for reads lab makes before a run's journal
     * exists, so they run the same code as the steps do.
     */
    public static String call(String function, List<String> args) {
        return call(LIBRARY, function, args);
    }

    /**
     * Kills a process tree lab started: {@code sh -c KILL_TREE name ROOT TOKEN [children]} (see killtree.sh); for
     * commands past their timeout, whatever the transport.
     */
    static String killTree() {
        return KILL_TREE;
    }

    /** A command that calls one function of grub.sh, boot control through GRUB on the host. */
    public static String grubCall(String function, List<String> args) {
        return call(GRUB, function, args);
    }

    private static String call(String script, String function, List<String> args) {
        List<String> words = new ArrayList<>(List.of("sh", "-c", script + "\n" + function + " \"$@\"", function));
        words.addAll(args);
        return Sh.command(words);
    }

    static String load(String name) {
        try (InputStream in = HostScripts.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(name + " is missing from the lab jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
