package dev.reclaimlab.plan;

import dev.reclaimlab.units.Size;
import java.util.Optional;

/** A cgroup limit: a size, or {@code max} (no limit). */
public record Limit(Optional<Size> size) {
    public static final Limit MAX = new Limit(Optional.empty());

    public static Limit of(Size size) {
        return new Limit(Optional.of(size));
    }

    public boolean isMax() {
        return size.isEmpty();
    }

    /** The value as a cgroup file takes it: bytes, or {@code max} (v2) / {@code -1} (v1). */
    public String forCgroupV2() {
        return size.map(s -> Long.toString(s.bytes())).orElse("max");
    }

    public String forCgroupV1() {
        return size.map(s -> Long.toString(s.bytes())).orElse("-1");
    }

    @Override
    public String toString() {
        return size.map(Size::toString).orElse("max");
    }
}
