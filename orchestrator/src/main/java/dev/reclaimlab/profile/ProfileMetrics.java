package dev.reclaimlab.profile;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a profile says, as the {@code profile} object of metrics.json: {@code profile.share.<function>} is the share
 * of all samples whose stack held the function, {@code profile.share_of_system.<function>} its share of system time
 * (samples in the kernel of a task other than idle). The {@link #TOP} functions by inclusive samples are listed, and
 * the {@link #WATCHED} reclaim functions always (0 when no sample held them), so that a comparison shows a function
 * that vanished from one side and a verdict can name it. Any other function absent from a profile had no sample, or
 * too few to be among the top.
 *
 * @param sampler  what took it: {@code lab-sampler}, or {@code perf} (perf record on the host)
 * @param complete the sampler wrote its end line: nothing was cut off
 * @param lost     samples the kernel dropped because the sampler's ring was full; the shares are of what was kept
 */
public record ProfileMetrics(String sampler, int frequency, long samples, long lost, boolean complete,
                             double idleShare, double userShare, double systemShare, Map<String, Double> share,
                             Map<String, Double> shareOfSystem) {
    public static final int TOP = 60;
    /** The reclaim path as seed 000 met it in {@code perf top}, from memcg reclaim down to the shrinkers' locks. */
    public static final List<String> WATCHED = List.of("try_to_free_mem_cgroup_pages", "try_to_free_pages",
            "balance_pgdat", "shrink_node", "shrink_lruvec", "shrink_slab", "shrink_slab_memcg", "do_shrink_slab",
            "mem_cgroup_iter", "down_read_trylock");

    public ProfileMetrics {
        share = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(share));
        shareOfSystem = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(shareOfSystem));
    }

    public static ProfileMetrics of(SampledProfile profile) {
        FunctionShares shares = FunctionShares.of(profile.stacks());
        long n = shares.samples();
        Map<String, Double> ofAll = new LinkedHashMap<>();
        Map<String, Double> ofSystem = new LinkedHashMap<>();
        List<FunctionShares.Function> top = shares.functions().subList(0, Math.min(TOP, shares.functions().size()));
        for (FunctionShares.Function f : top) {
            ofAll.put(f.name(), round(f.shareOfAll(n)));
            if (f.inclusiveSystem() > 0) {
                ofSystem.put(f.name(), round(f.shareOfSystem(shares.system())));
            }
        }
        for (String name : WATCHED) {
            FunctionShares.Function f = shares.function(name)
                    .orElse(new FunctionShares.Function(name, 0, 0, 0));
            ofAll.putIfAbsent(name, round(f.shareOfAll(n)));
            ofSystem.putIfAbsent(name, round(f.shareOfSystem(shares.system())));
        }
        SamplerOutput.Summary s = profile.summary();
        return new ProfileMetrics(s.source(), s.hz(), n, s.lostSamples(), s.header() && s.ended(),
                round(fraction(shares.idle(), n)), round(fraction(shares.user(), n)),
                round(fraction(shares.system(), n)), ofAll, ofSystem);
    }

    private static double fraction(long part, long whole) {
        return whole == 0 ? 0 : (double) part / whole;
    }

    /** Six decimals: a share is a count over at most millions of samples. */
    private static double round(double v) {
        return Math.round(v * 1e6) / 1e6;
    }
}
