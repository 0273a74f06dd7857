import dev.reclaimlab.host.ExecResult;
import dev.reclaimlab.host.HostKeyPolicy;
import dev.reclaimlab.host.HostShell;
import dev.reclaimlab.host.OutputListener;
import dev.reclaimlab.host.SshEnvironment;
import dev.reclaimlab.host.SshTarget;
import dev.reclaimlab.host.SshTransport;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * lab's cost for one step with nothing in it, as the orchestrator pays it: a null command ({@code true}) sent to the
 * host's step shell and its result read back, over lab's own SSH client; and the same null command as a command of
 * its own (an SSH session each, the way lab ran every step before its step shell). Part of scripts/bench-steps, which
 * starts the sshd and times OpenSSH beside it.
 *
 *   java -cp lab.jar scripts/bench/StepOverhead.java PORT IDENTITY KNOWN_HOSTS COUNT
 *
 * Prints "shell MEDIAN_US", "batch PER_STEP_US" (COUNT null steps sent at once, as an iteration's steps go) and
 * "session MEDIAN_US", one per line, in microseconds.
 */
public final class StepOverhead {
    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        int count = Integer.parseInt(args[3]);
        SshTarget target = SshTarget.builder("bench", "127.0.0.1").port(port).user("root")
                .identityFile(Path.of(args[1])).useAgent(false).knownHosts(Path.of(args[2]))
                .hostKeyPolicy(HostKeyPolicy.STRICT).build();
        Duration timeout = Duration.ofSeconds(30);
        try (SshTransport ssh = SshTransport.connect(target, new SshEnvironment(Path.of("/nonexistent"),
                Optional.empty()))) {
            HostShell shell = ssh.openShell("true").orElseThrow();
            for (int i = 0; i < 20; i++) { // warm-up: the JIT and the shell's first fork
                shell.run("true", timeout, OutputListener.NONE);
            }
            long[] one = new long[count];
            for (int i = 0; i < count; i++) {
                long start = System.nanoTime();
                ExecResult r = shell.run("true", timeout, OutputListener.NONE);
                one[i] = System.nanoTime() - start;
                check(r);
            }
            long start = System.nanoTime();
            List<HostShell.Pending> batch = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                batch.add(shell.submit("true", timeout, OutputListener.NONE, HostShell.Mode.CHAINED, false));
            }
            for (HostShell.Pending p : batch) {
                check(p.await().orElseThrow());
            }
            long batchNanos = System.nanoTime() - start;
            shell.close();
            long[] session = new long[count];
            for (int i = 0; i < count; i++) {
                long s = System.nanoTime();
                check(ssh.exec("true", timeout));
                session[i] = System.nanoTime() - s;
            }
            System.out.println("shell " + median(one) / 1000);
            System.out.println("batch " + batchNanos / count / 1000);
            System.out.println("session " + median(session) / 1000);
        }
    }

    private static void check(ExecResult r) {
        if (!r.ok()) {
            throw new IllegalStateException("a null command failed: " + r);
        }
    }

    private static long median(long[] values) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
