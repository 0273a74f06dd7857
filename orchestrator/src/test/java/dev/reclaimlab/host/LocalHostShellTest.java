package dev.reclaimlab.host;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.reclaimlab.shell.Sh;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The step shell on {@code local}, and its script under every shell hosts have. */
class LocalHostShellTest extends HostShellContractTest {

    private static final LocalTransport LOCAL = new LocalTransport();

    @Override
    Transport transport() {
        return LOCAL;
    }

    /** The frames the host side writes for a batch, read straight off the script under dash, busybox sh and bash. */
    @ParameterizedTest
    @ValueSource(strings = {"dash", "busybox sh", "bash"})
    void theScriptFramesTheSameUnderEveryShell(String shell) throws Exception {
        String input = String.join("\n", "T run 1 always", "exit 3", "T end", "T run 2 chained", "echo never", "T end",
                "T run 3 always tolerant", "printf x; exit 4", "T end", "T run 4 chained", "echo runs", "T end",
                "T run 5 chained", "false", "T end", "T run 6 chained tolerant", "echo no", "T end", "T bye",
                "echo after bye", "");
        List<String> command = new ArrayList<>(List.of(shell.split(" ")));
        command.addAll(List.of("-c", HostScripts.load("/host/shell.sh"), "lab-shell", "T", "true"));
        Process p = new ProcessBuilder(command).start();
        p.getOutputStream().write(input.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);

        assertEquals(0, p.waitFor());
        assertEquals("\nT ready " + p.pid() + "\n\nT done 1 3\n\nT done 2 skipped\nx\nT done 3 4\nruns\n\nT done 4 0\n"
                + "\nT done 5 1\n\nT done 6 skipped\n", out);
        assertEquals("\nT done 1 3\n\nT done 2 skipped\n\nT done 3 4\n\nT done 4 0\n\nT done 5 1\n\nT done 6 skipped\n",
                err);
    }

    @Test
    void theKillOfATimedOutCommandSparesTheShell() throws Exception {
        // killtree.sh with "children": every descendant of the root dies, the root goes on
        Process root = new ProcessBuilder("sh", "-c", "sleep 300 & sleep 300; echo survived; : lab-kill-test").start();
        Thread.sleep(300);
        assertEquals(2, root.descendants().count());
        ExecResult r = LOCAL.exec(Sh.command("sh", "-c", HostScripts.killTree(), "lab-kill",
                Long.toString(root.pid()), "lab-kill-test", "children"), TIMEOUT);

        assertEquals(0, r.exitCode(), r.toString());
        assertEquals(0, root.waitFor(), "the root was not killed");
        assertEquals("survived\n", new String(root.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        assertEquals(0, root.descendants().count());
    }
}
