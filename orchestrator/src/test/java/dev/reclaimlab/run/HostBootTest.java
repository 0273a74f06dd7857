package dev.reclaimlab.run;

import dev.reclaimlab.artifacts.Manifest;
import dev.reclaimlab.artifacts.RunDirectory;
import dev.reclaimlab.boot.BootException;
import dev.reclaimlab.boot.BootMethod;
import dev.reclaimlab.boot.BootTarget;
import dev.reclaimlab.host.HostSpec;
import dev.reclaimlab.host.LocalTransport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * HostBoot's decisions, read against this machine's real boot id, release and command line. Real boots are in
 * KmodOnVmIT; these are the ways a boot goes wrong that a healthy VM cannot show on demand.
 */
class HostBootTest {
    private static final BootTarget TARGET = new BootTarget(Optional.of("9.9.9-none"), List.of("lab.test=1"), List.of());

    /** A boot method that boots nothing; what it was asked is kept, and what it throws is chosen by the test. */
    private static class NoBoot implements BootMethod {
        final List<String> calls = new ArrayList<>();
        final BootException onBoot;
        final Path console;

        NoBoot(BootException onBoot, Path console) {
            this.onBoot = onBoot;
            this.console = console;
        }

        @Override
        public String name() {
            return "none";
        }

        @Override
        public Optional<String> bootOnce(BootTarget target, Consumer<String> progress) throws BootException {
            calls.add("once " + target.label());
            if (onBoot != null) {
                throw onBoot;
            }
            return target.kernel();
        }

        @Override
        public void bootDefault(Consumer<String> progress) {
            calls.add("default");
        }

        @Override
        public void recover(String bootId, Optional<java.time.Duration> rebootsAfter, Consumer<String> progress) {
            calls.add("recover " + rebootsAfter);
        }

        @Override
        public Optional<BootTarget> labBoot() {
            return Optional.empty();
        }

        @Override
        public Optional<Path> console() {
            return Optional.ofNullable(console);
        }
    }

    private static HostBoot hostBoot(NoBoot method, Path dir) throws IOException {
        return new HostBoot(HostSpec.local(), spec -> new LocalTransport(), method,
                Optional.of(RunDirectory.create(dir.resolve("run"))), Progress.SILENT);
    }

    @Test
    void aTargetTheMethodRefusesIsUntestableAtOnceWithWhatTheConsoleSays(@TempDir Path dir) throws Exception {
        Path console = dir.resolve("console.log");
        Files.writeString(console, "[    0.000000] Linux version 9.9.9\n[    1.000000] Kernel panic - not syncing: "
                + "VFS: Unable to mount root fs\n[    1.000001] ---[ end Kernel panic ]---\n");
        NoBoot method = new NoBoot(new BootException(BootException.Kind.REFUSED, "no kernel 9.9.9-none"), console);
        HostBoot boot = hostBoot(method, dir);

        HostBoot.Outcome outcome = boot.boot(TARGET);

        HostBoot.Outcome.Untestable untestable = assertInstanceOf(HostBoot.Outcome.Untestable.class, outcome);
        assertTrue(untestable.reason().startsWith("no kernel 9.9.9-none; the console shows"), untestable.reason());
        assertTrue(untestable.reason().contains("Kernel panic - not syncing"), untestable.reason());
        assertEquals(List.of("once " + TARGET.label()), method.calls, "refused: not tried again");
        Manifest.BootEntry entry = boot.boots().get(0);
        assertEquals(Manifest.BootOutcome.UNTESTABLE, entry.outcome());
        assertEquals("hosts/local/boots/1/console.log", entry.console());
        assertTrue(Files.readString(dir.resolve("run").resolve(entry.console())).contains("Kernel panic"));
        assertNull(entry.release());
    }

    @Test
    void aBootThatFailsIsTriedOnceMoreAndEachTryKeepsItsConsole(@TempDir Path dir) throws Exception {
        Path console = Files.writeString(dir.resolve("console.log"), "first try\n");
        NoBoot method = new NoBoot(new BootException(BootException.Kind.FAILED, "no SSH within 180s"), console) {
            @Override
            public Optional<String> bootOnce(BootTarget target, Consumer<String> progress) throws BootException {
                try {
                    if (calls.size() == 1) {
                        Files.writeString(console, "second try\n");
                    }
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
                return super.bootOnce(target, progress);
            }
        };
        HostBoot.Outcome outcome = hostBoot(method, dir).boot(TARGET);
        HostBoot.Outcome.Untestable untestable = assertInstanceOf(HostBoot.Outcome.Untestable.class, outcome);
        assertEquals(List.of("once " + TARGET.label(), "once " + TARGET.label()), method.calls);
        assertEquals("hosts/local/boots/1/console.log", untestable.entry().console());
        assertEquals("second try\n", Files.readString(dir.resolve("run/hosts/local/boots/1/console.log")));
        assertEquals("first try\n", Files.readString(dir.resolve("run/hosts/local/boots/1/console-try1.log")));
    }

    @Test
    void aBootThatDidNotHappenIsCaughtByTheUnchangedBootIdAndTheWrongRelease(@TempDir Path dir) throws Exception {
        NoBoot method = new NoBoot(null, null);
        HostBoot.Outcome outcome = hostBoot(method, dir).boot(TARGET);
        HostBoot.Outcome.Untestable untestable = assertInstanceOf(HostBoot.Outcome.Untestable.class, outcome);
        String release = new LocalTransport().exec("uname -r", java.time.Duration.ofSeconds(5)).stdout().strip();
        assertTrue(untestable.reason().contains("the host did not reboot (boot_id"), untestable.reason());
        assertTrue(untestable.reason().contains("the host runs kernel " + release + ", not 9.9.9-none"),
                untestable.reason());
        assertTrue(untestable.reason().contains("the command line lacks lab.test=1"), untestable.reason());
        assertEquals(2, method.calls.size(), "a wrong boot is tried once more: " + method.calls);
    }

    @Test
    void aHostThatCannotBeReadIsAnErrorNotAMeasurement(@TempDir Path dir) {
        HostBoot boot = new HostBoot(HostSpec.local(), spec -> {
            throw new IOException("connection refused");
        }, new NoBoot(null, null), Optional.empty(), Progress.SILENT);
        IOException e = assertThrows(IOException.class, () -> boot.boot(TARGET));
        assertEquals("connection refused", e.getMessage());
    }
}
