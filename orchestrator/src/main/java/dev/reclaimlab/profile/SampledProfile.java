package dev.reclaimlab.profile;

import dev.reclaimlab.trace.Kallsyms;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** A sampler's output folded with the kallsyms of the boot it ran in: the stacks, and what the file said. */
public record SampledProfile(FoldedStacks stacks, SamplerOutput.Summary summary) {

    /** {@code kallsyms} of the same boot; a missing file leaves the addresses unnamed ({@code 0x...}). */
    public static SampledProfile fold(Path samples, Path kallsyms) throws IOException {
        Kallsyms symbols = Kallsyms.none();
        if (Files.isRegularFile(kallsyms)) {
            try (InputStream in = Files.newInputStream(kallsyms)) {
                symbols = Kallsyms.read(in);
            }
        }
        StackFolder folder = new StackFolder(symbols);
        FoldedStacks stacks = new FoldedStacks();
        SamplerOutput.Summary summary;
        try (InputStream in = Files.newInputStream(samples)) {
            summary = SamplerOutput.read(in, s -> stacks.add(folder.fold(s), 1));
        }
        return new SampledProfile(stacks, summary);
    }
}
