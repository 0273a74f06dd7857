package dev.reclaimlab.boot;

import java.util.ArrayList;
import java.util.List;

/**
 * Whether a boot did what was asked, from what the host reports afterwards. Any mismatch is an infrastructure error
 * (the boot is retried, then the kernel is untestable), never a measurement: a run on the wrong kernel or command
 * line would be compared as if it were the right one.
 */
public final class BootCheck {
    private BootCheck() {
    }

    /** What the host reported after the boot: {@code /proc/sys/kernel/random/boot_id}, {@code uname -r}, cmdline. */
    public record Observation(String bootId, String release, String cmdline) {}

    /**
     * Each way the boot differs from {@code wanted}, one sentence each; empty when it is as asked.
     *
     * @param bootIdBefore the boot id before lab rebooted the host: the same one afterwards means no reboot happened
     */
    public static List<String> mismatches(String bootIdBefore, BootExpectation wanted, Observation seen) {
        List<String> problems = new ArrayList<>();
        if (seen.bootId().strip().equals(bootIdBefore.strip())) {
            problems.add("the host did not reboot (boot_id " + seen.bootId().strip() + " unchanged)");
        }
        wanted.release().ifPresent(release -> {
            if (!release.equals(seen.release().strip())) {
                problems.add("the host runs kernel " + seen.release().strip() + ", not " + release);
            }
        });
        List<String> words = KernelCmdline.words(seen.cmdline());
        for (String word : wanted.add()) {
            if (!words.contains(word)) {
                problems.add("the command line lacks " + word + " (it is: " + seen.cmdline().strip() + ")");
            }
        }
        for (String pattern : wanted.remove()) {
            words.stream().filter(w -> KernelCmdline.matches(pattern, w)).findFirst().ifPresent(w ->
                    problems.add("the command line still has " + w + ", which was to be removed"));
        }
        return problems;
    }
}
