package dev.reclaimlab.cli;

import dev.reclaimlab.report.CompareReport;

/** What report and compare print, and the exit code a verdict earns. */
final class ReportOutcome {
    private ReportOutcome() {}

    static int print(CompareReport.Written written, boolean check) {
        // The answer first: what the comparison comes to, then where the details are.
        written.headlines().forEach((title, headline) -> {
            if (!title.isEmpty()) {
                System.out.println("== " + title);
            }
            headline.lines().forEach(System.out::println);
            System.out.println();
        });
        for (String run : written.unfinished()) {
            System.err.println("warning:  run " + run + " did not finish; the report covers the iterations it completed");
        }
        warnLost(written);
        System.out.println("report:   " + written.report());
        System.out.println("summary:  " + written.summary());
        System.out.println("junit:    " + written.junit());
        System.out.println("verdict:  " + (written.criteria() == 0 ? "none declared by the plan"
                : written.failed() + " of " + written.criteria() + " checks failed"));
        return check && written.failed() > 0 ? ExitCodes.FAILED : ExitCodes.OK;
    }

    /** Names every iteration whose trace lost events: its figures are not results. */
    static void warnLost(CompareReport.Written written) {
        for (String lost : written.lost()) {
            System.err.println("WARNING:  " + lost + "; figures from it are not results");
        }
    }
}
