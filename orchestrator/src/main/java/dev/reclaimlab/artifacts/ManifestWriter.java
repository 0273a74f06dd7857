package dev.reclaimlab.artifacts;

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
    private final RunDirectory runDir;
    private final String runId;
    private final String plan;
    private final String startedAt = Instant.now().toString();
    private final List<Manifest.HostEntry> hosts = new ArrayList<>();
    private final List<Manifest.IterationEntry> iterations = new ArrayList<>();
    private RunStatus status = RunStatus.RUNNING;
    private String finishedAt;

    public ManifestWriter(RunDirectory runDir, String runId, String plan) {
        this.runDir = runDir;
        this.runId = runId;
        this.plan = plan;
        flush(); // a run killed before its first iteration still leaves a manifest that says it never finished
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

    public synchronized void finish(RunStatus finalStatus) {
        status = finalStatus;
        finishedAt = Instant.now().toString();
        flush();
    }

    public synchronized Manifest snapshot() {
        return new Manifest(Manifest.FORMAT, Manifest.VERSION, runId, plan, RunLayout.PLAN_COPY,
                RunLayout.PLAN_RESOLVED, status, startedAt, finishedAt, LabVersion.get(), hosts, iterations,
                RunLayout.STEPS, null);
    }

    private void flush() {
        try {
            runDir.writeManifest(snapshot());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + runDir.resolve(RunLayout.MANIFEST), e);
        }
    }
}
