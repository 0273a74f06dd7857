package dev.reclaimlab.plan;

import dev.reclaimlab.boot.BootTarget;
import dev.reclaimlab.yaml.Location;

/**
 * A plan's boot section with the variant's values in: what its iterations must run on. lab boots the host into it
 * once for all the iterations that share it, verifies what came up, and boots the host's default again at the end.
 * Command-line words that were empty once the values were in are gone: that is how a variant says "no word".
 */
public record BootSpec(BootTarget target, Location at) {}
