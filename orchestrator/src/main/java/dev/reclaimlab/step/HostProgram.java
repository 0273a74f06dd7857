package dev.reclaimlab.step;

import java.util.List;

/**
 * A plan compiled for one host: the run-wide preparation (journal, tracefs mount, work directory) and one program
 * per variant and repeat. The final teardown replays whatever the journal still holds.
 */
public record HostProgram(String host, HostLayout layout, List<Step> prepare, List<IterationProgram> iterations) {}
