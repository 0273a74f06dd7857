package dev.reclaimlab.step;

import dev.reclaimlab.shell.Sh;
import java.util.regex.Pattern;

/**
 * The undo journal of one run on one host, {@code /run/lab/<run-id>}: every change a step makes is recorded there as
 * shell, by the same command and before the change is made, and teardown (or {@code lab cleanup} after a crash)
 * replays it newest first. This type owns the journal's place and every shell text that touches it; the functions
 * it calls (lab_journal, lab_teardown, lab_finish) are in lib.sh, which also describes the layout on the host.
 *
 * @param dir {@code /run/lab/<run-id>}: on tmpfs, so a reboot clears it together with the changes it would undo
 */
public record Journal(String dir) {
    /** Where every run's journal lives on a host. */
    public static final String BASE = "/run/lab";
    /** The id of the first step of a run: it makes the journal and installs lib.sh. */
    public static final String INSTALL_STEP = "journal";
    /** Undo everything, then remove the journal: the end of a run. */
    public static final String TEARDOWN_ALL = "lab_teardown && lab_finish";

    private static final Pattern RUN_ID = Pattern.compile("[A-Za-z0-9._-]+");

    public static Journal forRun(String runId) {
        if (!isRunId(runId)) {
            throw new IllegalArgumentException("not a run id: " + runId);
        }
        return new Journal(BASE + "/" + runId);
    }

    /** Run ids are names of folders under {@link #BASE}: letters, digits, '.', '_' and '-'. */
    public static boolean isRunId(String text) {
        return RUN_ID.matcher(text).matches() && !text.equals(".") && !text.equals("..");
    }

    /** Lists the run ids that have a journal on a host, one per line. */
    public static String listCommand() {
        return "ls " + Sh.quote(BASE) + " 2>/dev/null; true";
    }

    /** What every step's command runs after: where the journal is, and the helper library. */
    public String preamble() {
        return "LAB_J=" + Sh.quote(dir) + "; . \"$LAB_J/lib.sh\" || exit 1";
    }

    /** The first step of a run: the journal, readable by root only, with lib.sh in it. */
    public Step install(String library) {
        return Step.action(INSTALL_STEP, "install the undo journal and helper library in " + dir,
                "mkdir -p " + Sh.quote(dir + "/undo") + " && chmod 700 " + Sh.quote(dir) + " && cat > "
                        + Sh.quote(dir + "/lib.sh"))
                .withStdin(library);
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
        StringBuilder text = new StringBuilder(preamble()).append('\n');
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
     * {@code lab cleanup}: undo everything a crashed run left and remove its journal. A journal that never got its
     * library holds no entries (the library is installed before the first one), so it is simply removed.
     */
    public String cleanupScript() {
        return "LAB_J=" + Sh.quote(dir) + "\n"
                + "if [ ! -f \"$LAB_J/lib.sh\" ]; then rm -rf \"$LAB_J\"; rmdir " + Sh.quote(BASE) + " 2>/dev/null; exit 0; fi\n"
                + ". \"$LAB_J/lib.sh\" && " + TEARDOWN_ALL;
    }
}
