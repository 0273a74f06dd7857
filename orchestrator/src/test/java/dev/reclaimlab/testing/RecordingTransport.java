package dev.reclaimlab.testing;

import dev.reclaimlab.host.ExecResult;
import dev.reclaimlab.host.OutputListener;
import dev.reclaimlab.host.Transport;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A host that runs nothing: it records every command it is given, in order, and answers from rules the test sets
 * (the latest matching rule wins; anything else exits 0 silently). For unit tests of what the orchestrator sends and
 * how it reacts: step order, the journal, teardown, statuses. Real hosts are driven by the ITs.
 */
public final class RecordingTransport implements Transport {
    /**
     * What lab's facts probe prints on a cgroup v2 host with the memory controller delegated, tracefs mounted, root,
     * 2 CPUs and every command lab uses.
     */
    public static final String FACTS_V2 = String.join("\n",
            "hostname=fake", "uid=0", "kernel_release=6.1.0-fake", "machine=aarch64", "cmdline=console=ttyAMA0",
            "boot_id=b00t", "cpus_online=0-1", "mem_total_kb=1048576", "swap_total_kb=0",
            "mount=cgroup2 /sys/fs/cgroup rw,nosuid", "cgroup2_controllers=/sys/fs/cgroup cpu,memory",
            "cgroup2_subtree_control=/sys/fs/cgroup memory", "memcg_count=12", "memcg_enabled=1",
            "tracefs_supported=1", "tracefs=/sys/kernel/tracing", "command=dd", "command=mkswap", "command=swapon",
            "command=swapoff", "command=setsid", "command=timeout", "command=sha256sum", "command=mkdir",
            "command=rmdir", "command=stat", "shell=dash", "");

    private record Rule(String fragment, ExecResult result) {}

    private final String host;
    private final List<String> commands = Collections.synchronizedList(new ArrayList<>());
    private final List<Rule> rules = Collections.synchronizedList(new ArrayList<>());
    private volatile boolean closed;

    public RecordingTransport(String host) {
        this.host = host;
        answer("lab-facts", 0, FACTS_V2, "");
    }

    /** Commands containing {@code fragment} exit with {@code exit} and print these (the latest rule wins). */
    public RecordingTransport answer(String fragment, int exit, String stdout, String stderr) {
        rules.add(new Rule(fragment, new ExecResult(exit, stdout, stderr, Duration.ZERO, false)));
        return this;
    }

    /** Every command so far, in the order they were given. */
    public List<String> commands() {
        synchronized (commands) {
            return List.copyOf(commands);
        }
    }

    public boolean closed() {
        return closed;
    }

    @Override
    public String hostName() {
        return host;
    }

    @Override
    public ExecResult exec(String command, Duration timeout, OutputListener listener) throws IOException {
        ExecResult result = record(command);
        for (String line : result.stdout().split("\n")) {
            if (!line.isEmpty()) {
                listener.line(OutputListener.Stream.STDOUT, line);
            }
        }
        return result;
    }

    @Override
    public ExecResult execToStream(String command, OutputStream stdout, Duration timeout) throws IOException {
        ExecResult result = record(command);
        if (command.contains("lab-download") && result.stdout().isEmpty()) {
            // A batch download (FileTransfer.downloadAll): this host has none of the files asked for.
            List<String> words = words(command);
            int token = words.indexOf("lab-download") + 1;
            for (int i = token + 1; i < words.size(); i++) {
                stdout.write((words.get(token) + " none\n").getBytes(StandardCharsets.UTF_8));
            }
            return result;
        }
        stdout.write(result.stdout().getBytes(StandardCharsets.UTF_8));
        return new ExecResult(result.exitCode(), "", result.stderr(), result.duration(), result.timedOut());
    }

    @Override
    public ExecResult execFromStream(String command, InputStream stdin, Duration timeout) throws IOException {
        stdin.transferTo(OutputStream.nullOutputStream());
        return record(command);
    }

    @Override
    public void close() {
        closed = true;
    }

    /** The words of a command as {@code Sh.command} quotes them ('...' and the '\\'' inside). */
    private static List<String> words(String command) {
        List<String> words = new ArrayList<>();
        StringBuilder word = null;
        boolean quoted = false;
        for (int i = 0; i < command.length(); i++) {
            char c = command.charAt(i);
            if (quoted) {
                if (c == '\'') {
                    quoted = false;
                } else {
                    word.append(c);
                }
            } else if (c == '\'') {
                quoted = true;
                word = word == null ? new StringBuilder() : word;
            } else if (c == '\\' && i + 1 < command.length()) {
                word = word == null ? new StringBuilder() : word;
                word.append(command.charAt(++i));
            } else if (c == ' ') {
                if (word != null) {
                    words.add(word.toString());
                    word = null;
                }
            } else {
                word = word == null ? new StringBuilder() : word;
                word.append(c);
            }
        }
        if (word != null) {
            words.add(word.toString());
        }
        return words;
    }

    private ExecResult record(String command) throws IOException {
        if (closed) {
            throw new IOException("connection to " + host + " is closed");
        }
        commands.add(command);
        synchronized (rules) {
            for (int i = rules.size() - 1; i >= 0; i--) {
                if (command.contains(rules.get(i).fragment())) {
                    return rules.get(i).result();
                }
            }
        }
        return new ExecResult(0, "", "", Duration.ZERO, false);
    }
}
