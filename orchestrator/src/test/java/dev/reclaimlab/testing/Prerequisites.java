package dev.reclaimlab.testing;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * The real parts the integration tests drive. A missing one fails the test with what to install; it never skips,
 * so a machine without them cannot pass by testing nothing.
 */
public final class Prerequisites {
    private Prerequisites() {}

    public static void requireRootWithMemoryCgroups() {
        if (!"root".equals(System.getProperty("user.name"))) {
            fail("these tests change memory cgroups, swap and tracefs on this machine and must run as root");
        }
        if (!Files.isDirectory(Path.of("/sys/fs/cgroup/memory")) && !Files.exists(Path.of("/sys/fs/cgroup/cgroup.controllers"))) {
            fail("no memory cgroup hierarchy on this machine (/sys/fs/cgroup/memory or a cgroup2 mount)");
        }
    }

    /**
     * The full path of a program the tests run (dash, busybox, shellcheck, ...); a missing one fails the test with the
     * Debian package that brings it (scripts/test installs them all).
     */
    public static String require(String program) {
        String path = System.getenv("PATH");
        for (String dir : (path == null ? "/usr/bin:/bin" : path + ":/usr/sbin:/sbin").split(":")) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, program);
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        return fail(program + " is missing: apt-get install -y " + program + " (scripts/test installs what the tests need)");
    }

    /** Root of the repository, for playbooks. */
    public static Path repoRoot() {
        String root = System.getenv("LAB_ROOT");
        Path path = root != null ? Path.of(root) : Path.of("..");
        return path.toAbsolutePath().normalize();
    }
}
