package dev.reclaimlab.plan;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Set;

/** Host monitors sampled on the host itself at a fixed interval while workloads run. */
public record MonitorSpec(Duration interval, Set<MonitorSource> sources) {
    public MonitorSpec {
        sources = Collections.unmodifiableSet(new LinkedHashSet<>(sources));
    }
}
