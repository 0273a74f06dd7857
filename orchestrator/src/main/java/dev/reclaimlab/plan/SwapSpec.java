package dev.reclaimlab.plan;

import dev.reclaimlab.units.Size;
import dev.reclaimlab.yaml.Location;
import java.util.Optional;

/**
 * A swap file made for the experiment: created mode 0600, {@code mkswap}, {@code swapon}; undone by
 * {@code swapoff} and removal. Without a path it lives in the host's work directory.
 */
public record SwapSpec(Size size, Optional<String> path, Optional<Integer> priority, Location at) {}
