package dev.reclaimlab.step;

import dev.reclaimlab.shell.Sh;
import java.time.Duration;
import java.util.regex.Pattern;

/**
 * The undo journal of one run on one host, {@code <run's folder>/journal} (e.g. {@code /var/tmp/lab/<run-id>/journal}):
 * every change a step makes is recorded there as shell, by the same command and before the change is made, and
 * teardown (the host's watchdog, or {@code lab cleanup} after a crash) replays it newest first. It lives on the
 * host's disk with the run's folder, so it survives a reboot together with what it undoes. This type owns the
 * journal's place and every shell text that touches it; the functions it calls are in lib.sh, which also
 * describes the layout on the host.
 *
 * @param dir {@code <run's folder>/journal}
 */
public record Journal(String dir) {
    /** Where lab before this layout kept journals (in RAM, lost at a reboot); {@code lab cleanup} still looks there. */
    public static final String LEGACY_BASE = "/run/lab";
    /** The id of the first step of a run: it makes the run's folder and journal and installs lib.sh. */
    public static final String INSTALL_STEP = "journal";
    /** Undo everything, then remove the journal: the end of a run. */
    public static final String TEARDOWN_ALL = "lab_teardown && lab_finish";
    /** What {@link #cleanupScript} exits with for a run that is live: its orchestrator said so recently. */
    public static final int LIVE = 3;

    private static final Pattern RUN_ID = Pattern.compile("[A-Za-z0-9._-]+");

    /** The journal of the run whose folder on the host is {@code runDir}. */
    public static Journal of(String runDir) {
        return new Journal(runDir + "/journal");
    }

    /** Run ids are names of folders: letters, digits, '.', '_' and '-'. */
    public static boolean isRunId(String text) {
        return RUN_ID.matcher(text).matches() && !text.equals(".") && !text.equals("..");
    }

    /** The run id of the journal: its run folder's name. */
    public String runId() {
        String runDir = dir.endsWith("/journal") ? dir.substring(0, dir.length() - "/journal".length()) : dir;
        return runDir.substring(runDir.lastIndexOf('/') + 1);
    }

    /** Lists the journals on a host whose runs live in {@code base} (and legacy ones), one folder per line. */
    public static String listCommand(String base) {
        return "for j in " + Sh.quote(base) + "/*/journal " + Sh.quote(LEGACY_BASE) + "/*; do "
                + "[ -f \"$j/lib.sh\" ] && echo \"$j\"; done; true";
    }

    /** What every step's command runs after: where the journal is, and the helper library. */
    public String preamble() {
        return "LAB_J=" + Sh.quote(dir) + "; " + GONE_CHECK + "; . \"$LAB_J/lib.sh\"";
    }

    /**
     * What a step shell (one sh on the host running many steps, {@code HostShell}) runs once: where the journal is,
     * and lib.sh sourced if it is there. Each step then checks that it still is ({@link #shellScript}).
     */
    public String shellPreamble() {
        return "LAB_J=" + Sh.quote(dir) + "; if [ -f \"$LAB_J/lib.sh\" ]; then . \"$LAB_J/lib.sh\"; fi";
    }

    /** A step refuses to run once its run was undone behind lab's back. */
    private static final String GONE_CHECK = "[ -f \"$LAB_J/lib.sh\" ] || { echo \"lab: the run's journal $LAB_J is"
            + " gone: the host's watchdog or lab cleanup undid the run\" >&2; exit 1; }";

    /**
     * The first step of a run: the run's folder {@code runDir} in {@code base}, its journal with lib.sh (given as
     * the step's stdin) in it, the owner record, and the watchdog, which undoes the run when no heartbeat came for
     * {@code watchdog}. A host busy with another live run refuses it unless {@code shared}.
     */
    public Step begin(String library, String base, String runDir, Duration watchdog, boolean shared, Owner owner) {
        return Step.action(INSTALL_STEP, "make the run's folder " + runDir + " with its journal, and start its "
                        + "watchdog (" + watchdog.toSeconds() + "s without a heartbeat)",
                "lab_lib=$(cat) && eval \"$lab_lib\" && lab_begin \"$lab_lib\" " + Sh.command(base, runDir,
                        Long.toString(watchdog.toSeconds()), shared ? "shared" : "exclusive", owner.line()))
                .withStdin(library);
    }

    /** The orchestrator is alive: sent every few seconds while the run goes on. */
    public String heartbeatScript() {
        return "LAB_J=" + Sh.quote(dir) + "; [ -f \"$LAB_J/lib.sh\" ] && . \"$LAB_J/lib.sh\" && lab_beat";
    }

    /**
     * Journal entry names sort in the order the entries were made, and say which step made them:
     * {@code 00003-cgroup_kubepods}.
     */
    public static String entryName(int sequence, String stepId) {
        return String.format("%05d-%s", sequence, stepId.replaceAll("[^A-Za-z0-9._-]", "_"));
    }

    /**
     * The script that runs {@code step} on the host: the preamble, then the step's undo written to the journal as
     * {@code entry} (null for a step without an undo), then the step's command, which finds its entry's name in
     * {@code LAB_ENTRY} to record what it made. The journal's own install step runs
     * bare: the library it installs cannot be sourced yet.
     */
    public String script(Step step, String entry) {
        if (step.id().equals(INSTALL_STEP)) {
            return step.command();
        }
        return preamble() + "\n" + body(step, entry);
    }

    /** {@link #script} for a step shell that ran {@link #shellPreamble}: the library is sourced already. */
    public String shellScript(Step step, String entry) {
        if (step.id().equals(INSTALL_STEP)) {
            throw new IllegalArgumentException("the journal's install step makes the library a step shell sources");
        }
        return GONE_CHECK + "\n" + body(step, entry);
    }

    private static String body(Step step, String entry) {
        StringBuilder text = new StringBuilder();
        if (entry != null) {
            // LAB_ENTRY: under this name the step records proof of what it makes, which its undo checks
            text.append("LAB_ENTRY=").append(entry).append("; lab_journal \"$LAB_ENTRY\" ")
                    .append(Sh.quote(step.undo().orElseThrow())).append('\n');
        }
        return text.append(step.command()).toString();
    }

    /** Undo the entries made after entry number {@code mark}: the end of an iteration. */
    public static String teardownAfter(int mark) {
        return "lab_teardown " + String.format("%05d", mark);
    }

    /**
     * The script that runs a teardown command ({@link #teardownAfter} or {@link #TEARDOWN_ALL}); a run that failed
     * before its journal was installed has nothing to undo.
     */
    public String teardownScript(String teardown) {
        return "LAB_J=" + Sh.quote(dir) + "; [ -f \"$LAB_J/lib.sh\" ] || exit 0; . \"$LAB_J/lib.sh\" || exit 1\n"
                + teardown;
    }

    /**
     * {@code lab cleanup}: undo everything a crashed run left and remove its journal. A run whose orchestrator said
     * it is alive within its watchdog's time is left alone (exit {@link #LIVE}, saying whose it is) unless
     * {@code force}. A journal that never got its library holds no entries (the library comes first), so it is
     * simply removed.
     */
    public String cleanupScript(boolean force) {
        return "LAB_J=" + Sh.quote(dir) + "\n"
                + "if [ ! -f \"$LAB_J/lib.sh\" ]; then rm -rf \"$LAB_J\"; exit 0; fi\n"
                + ". \"$LAB_J/lib.sh\" || exit 1\n"
                + (force ? "" : "if [ -f \"$LAB_J/owner\" ] && lab_live \"$LAB_J\"; then lab_owner_line \"$LAB_J\"; echo; exit "
                        + LIVE + "; fi\n")
                + TEARDOWN_ALL;
    }
}
