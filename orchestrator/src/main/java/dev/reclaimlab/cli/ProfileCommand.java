package dev.reclaimlab.cli;

import dev.reclaimlab.artifacts.RunLayout;
import dev.reclaimlab.profile.FoldedStacks;
import dev.reclaimlab.profile.FunctionShares;
import dev.reclaimlab.profile.SampledProfile;
import dev.reclaimlab.profile.SamplerOutput;
import dev.reclaimlab.report.ProfilePage;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import static dev.reclaimlab.profile.FunctionShares.percent;

@Command(name = "profile", mixinStandardHelpOptions = true,
        description = {"Where the CPUs went: the kernel functions of a sampled profile by inclusive share (the "
                + "samples whose stack held them), of all samples and of system time.",
                "PROFILE is an iteration folder of a profiled run, what lab's sampler (profile/lab-sampler.c) printed "
                + "(named with --kallsyms of the same boot), or collapsed stacks (.folded: 'frame;frame;... count' "
                + "lines, as FlameGraph writes them). --html draws its flame graph on a page of its own."})
final class ProfileCommand implements Callable<Integer> {
    @Parameters(paramLabel = "PROFILE", description = "An iteration folder, the sampler's output, or a .folded file.")
    Path profile;

    @Option(names = "--html", paramLabel = "FILE", description = "Write a page with the profile's flame graph "
            + "(hover, click to zoom, search) and its functions.")
    Path html;

    @Option(names = "--kallsyms", paramLabel = "FILE",
            description = "/proc/kallsyms of the boot the samples were taken in (needed for the sampler's output).")
    Path kallsyms;

    @Option(names = "--folded", paramLabel = "FILE", description = "Write the collapsed stacks here.")
    Path folded;

    @Option(names = "--top", paramLabel = "N", defaultValue = "25", description = "Functions to list (default 25).")
    int top;

    @Override
    public Integer call() throws IOException {
        if (Files.isDirectory(profile)) {
            Path folder = profile;
            profile = folder.resolve(RunLayout.PROFILE_FOLDED);
            if (!Files.isRegularFile(profile)) {
                profile = folder.resolve(RunLayout.PROFILE_SAMPLES);
                if (kallsyms == null) {
                    kallsyms = folder.resolve(RunLayout.PROFILE_KALLSYMS);
                }
            }
            if (!Files.isRegularFile(profile)) {
                throw new UserError(folder + " holds no profile (" + RunLayout.PROFILE_FOLDED + " or "
                        + RunLayout.PROFILE_SAMPLES + "): was the plan's profile: section on?", ExitCodes.BAD_INPUT);
            }
        }
        if (!Files.isRegularFile(profile) || !Files.isReadable(profile)) {
            throw new UserError("cannot read the profile " + profile, ExitCodes.BAD_INPUT);
        }
        if (top < 1) {
            throw new UserError("--top must be at least 1", ExitCodes.BAD_INPUT);
        }
        PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
        FoldedStacks stacks;
        if (profile.getFileName().toString().endsWith(".folded")) {
            long[] malformed = {0};
            try (BufferedReader in = Files.newBufferedReader(profile, StandardCharsets.ISO_8859_1)) {
                stacks = FoldedStacks.read(in, malformed);
            }
            if (malformed[0] > 0) {
                System.err.println("lab profile: " + profile + ": " + malformed[0]
                        + " lines are not 'stack count' and were skipped");
            }
        } else {
            if (kallsyms == null) {
                throw new UserError(profile + " is a sampler's output: name its addresses with --kallsyms FILE "
                        + "(/proc/kallsyms of the same boot)", ExitCodes.BAD_INPUT);
            }
            if (!Files.isReadable(kallsyms)) {
                throw new UserError("cannot read --kallsyms " + kallsyms, ExitCodes.BAD_INPUT);
            }
            SampledProfile sampled = SampledProfile.fold(profile, kallsyms);
            stacks = sampled.stacks();
            describe(sampled.summary(), out);
        }
        if (folded != null) {
            try (Writer w = Files.newBufferedWriter(folded, StandardCharsets.ISO_8859_1)) {
                stacks.write(w);
            }
        }
        print(FunctionShares.of(stacks), out);
        if (html != null) {
            ProfilePage.write(html, "kernel stacks of " + profile, stacks);
            out.println("flame graph: " + html);
        }
        return ExitCodes.OK;
    }

    private void describe(SamplerOutput.Summary s, PrintWriter out) {
        out.printf(Locale.ROOT, "%,d samples%s%s%n", s.samples(), s.hz() > 0 ? " at " + s.hz() + " Hz" : "",
                s.lostSamples() > 0 ? ", " + String.format(Locale.ROOT, "%,d", s.lostSamples())
                        + " LOST (the shares below are of what was kept)" : ", none lost");
        if (!s.header()) {
            System.err.println("lab profile: " + profile + " has no lab-sampler header line");
        }
        if (!s.ended()) {
            System.err.println("lab profile: " + profile + " has no end line: the sampler was stopped before it "
                    + "finished writing, so the last samples may be missing");
        }
        if (s.malformedLines() > 0) {
            System.err.println("lab profile: " + profile + ": " + s.malformedLines() + " lines skipped, first "
                    + s.firstMalformed());
        }
    }

    private void print(FunctionShares shares, PrintWriter out) {
        long n = shares.samples();
        out.printf(Locale.ROOT, "%,d samples: system %s, user %s, idle %s%n", n, percent(shares.system(), n),
                percent(shares.user(), n), percent(shares.idle(), n));
        out.printf(Locale.ROOT, "%-44s %10s %10s %10s%n", "function (by system time)", "of all", "of system", "self");
        List<FunctionShares.Function> functions = shares.bySystemTime();
        for (FunctionShares.Function f : functions.subList(0, Math.min(top, functions.size()))) {
            out.printf(Locale.ROOT, "%-44s %10s %10s %10s%n", f.name(), percent(f.inclusive(), n),
                    percent(f.inclusiveSystem(), shares.system()), percent(f.self(), n));
        }
    }

}
