package dev.reclaimlab.run;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Keeps manifest.json current while a run goes on: it is rewritten (atomically) after every iteration and host,
 * so even a run that crashes halfway leaves an index of everything it collected.
 */
public final class ManifestWriter {
    public static final String FILE = "manifest.json";

    private final RunDirectory runDir;
    private final String runId;
    private final String plan;
    private final String startedAt = Instant.now().toString();
    private final List<Manifest.HostEntry> hosts = new ArrayList<>();
    private final List<Manifest.IterationEntry> iterations = new ArrayList<>();
    private String status = "running";
    private String finishedAt;
    private String report;

    public ManifestWriter(RunDirectory runDir, String runId, String plan) {
        this.runDir = runDir;
        this.runId = runId;
        this.plan = plan;
    }

    public synchronized void iteration(Manifest.IterationEntry entry) {
        iterations.add(entry);
        flush();
    }

    public synchronized void host(Manifest.HostEntry entry) {
        hosts.removeIf(h -> h.name().equals(entry.name()));
        hosts.add(entry);
        flush();
    }

    public synchronized void finish(String finalStatus, String reportPath) {
        status = finalStatus;
        report = reportPath;
        finishedAt = Instant.now().toString();
        flush();
    }

    public synchronized Manifest snapshot() {
        return new Manifest(Manifest.FORMAT, Manifest.VERSION, runId, plan, RunEngine.PLAN_COPY,
                RunEngine.PLAN_RESOLVED, status, startedAt, finishedAt, LabVersion.get(), List.copyOf(hosts),
                List.copyOf(iterations), StepLog.FILE, report);
    }

    private void flush() {
        try {
            runDir.writeJson(FILE, snapshot());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + runDir.resolve(FILE), e);
        }
    }
}
