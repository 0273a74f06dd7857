package dev.reclaimlab.cli;

import dev.reclaimlab.analysis.MetricsJson;
import dev.reclaimlab.analysis.MetricsText;
import dev.reclaimlab.analysis.ReclaimAnalyzer;
import dev.reclaimlab.analysis.TraceMetrics;
import dev.reclaimlab.artifacts.RunLayout;
import dev.reclaimlab.trace.RawCapture;
import dev.reclaimlab.trace.TraceDat;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "analyze", mixinStandardHelpOptions = true,
        description = {"Analyse a trace in one pass: memcg and direct reclaim latency, nr_reclaimed, shrink_slab "
                + "(per shrinker, share of reclaim time), ANON vs FILE shrink_inactive, per CPU per second.",
                "Prints a summary; --json prints metrics.json (schema: orchestrator/src/main/resources/schema/"
                + "metrics.schema.json)."})
final class AnalyzeCommand implements Callable<Integer> {
    @Parameters(paramLabel = "TRACE", description = "A trace.dat (trace-cmd's file format, version 6: what lab run "
            + "keeps), a trace in tracefs text format (trace.txt), or an iteration directory: its trace.dat, its "
            + "binary capture (raw/) or its trace.txt, whichever it has.")
    Path trace;

    @ArgGroup(exclusive = true)
    Output output = new Output();

    static final class Output {
        @Option(names = "--json", description = "Print the metrics as JSON (what lab run stores as metrics.json).")
        boolean json;

        @Option(names = "--per-cpu-seconds", description = "Print the table of seed 000 §6: per CPU and second, "
                + "memcg reclaims, average nr_reclaimed, how many freed < 32 pages, counts per nr_reclaimed.")
        boolean perCpuSeconds;
    }

    @Option(names = "--formats", paramLabel = "DIR", description = "Event format files (<system>/<event>.format) "
            + "that say where each field is printed (default: the formats/ directory beside the trace, if any).")
    Path formats;

    @Option(names = "--threads", paramLabel = "N", description = "Parsing threads (default: the number of CPUs).")
    Integer threads;

    @Override
    public Integer call() throws Exception {
        if (Files.isDirectory(trace) && Files.isRegularFile(trace.resolve(RunLayout.TRACE_DAT))) {
            return binary(trace.resolve(RunLayout.TRACE_DAT));
        }
        if (Files.isDirectory(trace) && RawCapture.present(trace)) {
            return binary(trace);
        }
        if (Files.isRegularFile(trace) && trace.getFileName().toString().endsWith(".dat")) {
            return binary(trace);
        }
        Path file = Files.isDirectory(trace) ? trace.resolve(RunLayout.TRACE) : trace;
        if (!Files.isRegularFile(file)) {
            throw new UserError("no trace file at " + file, ExitCodes.BAD_INPUT);
        }
        if (!Files.isReadable(file)) {
            throw new UserError("cannot read " + file, ExitCodes.BAD_INPUT);
        }
        if (formats != null && !Files.isDirectory(formats)) {
            throw new UserError("--formats " + formats + " is not a directory", ExitCodes.BAD_INPUT);
        }
        if (threads != null && threads < 1) {
            throw new UserError("--threads must be at least 1", ExitCodes.BAD_INPUT);
        }
        ReclaimAnalyzer.Options options = ReclaimAnalyzer.Options.defaults();
        ReclaimAnalyzer analyzer = new ReclaimAnalyzer(threads == null ? options : options.withThreads(threads));
        Path formatsDir = formats != null ? formats : file.toAbsolutePath().resolveSibling(RunLayout.FORMATS);
        TraceMetrics metrics;
        try {
            metrics = analyzer.analyze(file, formatsDir);
        } catch (IOException e) {
            throw new UserError("cannot read " + file + ": " + e.getMessage(), ExitCodes.BAD_INPUT);
        } catch (OutOfMemoryError e) {
            // the tables are bounded (Limits), so only a heap smaller than they need gets here: say so in one line
            throw new UserError("out of memory analysing " + file + ": a heap of "
                    + (Runtime.getRuntime().maxMemory() >> 20) + " MB is too small; raise it with LAB_JAVA_OPTS=-Xmx...",
                    ExitCodes.FAILED);
        }
        return print(file.toString(), metrics);
    }

    /** A trace.dat, or an iteration's raw/ capture: the same metrics, decoded from the pages. */
    private Integer binary(Path source) throws Exception {
        if (formats != null) {
            throw new UserError("--formats applies to text traces; a binary capture uses the formats/ it was "
                    + "captured with", ExitCodes.BAD_INPUT);
        }
        if (threads != null && threads < 1) {
            throw new UserError("--threads must be at least 1", ExitCodes.BAD_INPUT);
        }
        TraceMetrics metrics;
        Path shown = Files.isDirectory(source) ? source.resolve(RunLayout.RAW) : source;
        try {
            RawCapture capture = Files.isDirectory(source) ? RawCapture.fromIteration(source) : TraceDat.read(source);
            metrics = new ReclaimAnalyzer().analyze(capture);
        } catch (IOException e) {
            String message = e.getMessage();
            throw new UserError(message != null && message.startsWith(shown.toString()) ? message
                    : "cannot read " + shown + ": " + message, ExitCodes.BAD_INPUT);
        } catch (OutOfMemoryError e) {
            throw new UserError("out of memory analysing " + trace + ": a heap of "
                    + (Runtime.getRuntime().maxMemory() >> 20) + " MB is too small; raise it with LAB_JAVA_OPTS=-Xmx...",
                    ExitCodes.FAILED);
        }
        return print(shown.toString(), metrics);
    }

    private Integer print(String name, TraceMetrics metrics) throws IOException {
        PrintWriter out = new PrintWriter(new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8)));
        if (output.json) {
            MetricsJson.write(metrics, out);
            out.println();
        } else if (output.perCpuSeconds) {
            out.print(MetricsText.perCpuSeconds(metrics));
        } else {
            out.print(MetricsText.summary(name, metrics));
        }
        out.flush();
        return ExitCodes.OK;
    }
}
