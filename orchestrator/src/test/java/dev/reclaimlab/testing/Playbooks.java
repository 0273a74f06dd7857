package dev.reclaimlab.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Plans for the integration tests that run on this machine, in the form its memory cgroup version needs: the
 * swappiness experiment sets memory.swappiness on cgroup v1, and the global vm.swappiness on cgroup v2 (which has no
 * per-cgroup swappiness). Both have the variants swappiness=100 and swappiness=0.
 */
public final class Playbooks {
    private Playbooks() {}

    /** Seed 000 §7.2 for this machine. */
    public static Path swappiness() {
        return memoryCgroupV1() ? Prerequisites.repoRoot().resolve("playbooks/swappiness.yaml")
                : Prerequisites.repoRoot().resolve("orchestrator/src/test/resources/it-plans/swappiness-cgroup-v2.yaml");
    }

    /** The memory controller is mounted as cgroup v1 (a hybrid or legacy host). */
    public static boolean memoryCgroupV1() {
        return Files.exists(Path.of("/sys/fs/cgroup/memory/memory.limit_in_bytes"));
    }
}
