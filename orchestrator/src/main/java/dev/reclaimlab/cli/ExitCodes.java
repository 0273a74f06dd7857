package dev.reclaimlab.cli;

/** lab's exit codes; scripts and CI jobs rely on them, so they are documented in the README and never reused. */
public final class ExitCodes {
    /** Everything ran and every host was left as found. */
    public static final int OK = 0;
    /** A step or workload failed, or a host could not be reached; see the run's manifest and step log. */
    public static final int FAILED = 1;
    /** Bad input: a plan, an inventory or the command line; nothing was touched. */
    public static final int BAD_INPUT = 2;
    /** A host lacks what the plan needs (cgroup version, tracepoints, commands); nothing was changed on it. */
    public static final int UNMET = 3;
    /** Teardown could not undo everything; run {@code lab cleanup --host H}. */
    public static final int RESIDUE = 4;
    /** Interrupted (Ctrl-C); the hosts were torn down. */
    public static final int INTERRUPTED = 130;

    private ExitCodes() {}
}
