package dev.reclaimlab.plan;

import dev.reclaimlab.yaml.Location;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * {@code kmod.stress}: the reclaim-stress module. One kernel thread per CPU in {@code cpus}, bound to it, calls the
 * kernel's memcg reclaim entry ({@code try_to_free_mem_cgroup_pages}) on {@code cgroup} {@code nodes} times per loop,
 * for {@code loops} loops (0: until unloaded) or until {@code duration} has passed, whichever comes first.
 *
 * @param cgroup   a cgroup path of this plan (relative to the run's own cgroup, like a workload's {@code cgroup})
 * @param cpus     CPU numbers the workers are bound to; a CPU the host does not have fails the requirements check
 * @param loops    outer loops per worker; 0 means no limit (then {@code duration} or unloading ends the work)
 * @param nodes    reclaim calls per loop (the seed's NODE_NUM)
 * @param nrPages  pages asked for per call
 * @param gfp      the gfp mask as the kernel source spells it: {@code GFP_KERNEL}, {@code GFP_KERNEL | __GFP_NOWARN},
 *                 or a hex number such as {@code 0x6000c0}; only {@code [_]*GFP_[A-Z0-9_]+} names, hex and {@code |}
 *                 are accepted, so nothing else can reach the C source
 * @param duration how long the workers run at most; empty means no limit
 */
public record StressSpec(
        String cgroup,
        List<Integer> cpus,
        long loops,
        int nodes,
        long nrPages,
        String gfp,
        Optional<Duration> duration,
        Location at) {
    public StressSpec {
        cpus = List.copyOf(cpus);
    }
}
