package dev.reclaimlab.history;

import dev.reclaimlab.artifacts.Manifest;
import dev.reclaimlab.artifacts.RunLayout;
import dev.reclaimlab.host.HostFacts;
import dev.reclaimlab.local.Digests;
import dev.reclaimlab.report.LostEvents;
import dev.reclaimlab.report.RunData;
import dev.reclaimlab.report.Sample;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Map;

/**
 * Puts a run directory into the results database: the run, each iteration (host, kernel, command line, variant,
 * repeat, status, lost share) and every number of it ({@code metrics.json} by path, monitor and module summaries).
 * Indexing a run again replaces its rows and keeps the baseline decision made about it.
 */
public final class RunIndexer {
    private final ResultsDatabase db;

    public RunIndexer(ResultsDatabase db) {
        this.db = db;
    }

    public IndexedRun index(Path runDir, String origin) throws IOException {
        RunData run = RunData.load(runDir);
        Manifest manifest = run.manifest();
        Path planCopy = run.dir().root().resolve(RunLayout.PLAN_COPY);
        if (!Files.isRegularFile(planCopy)) {
            throw new IOException(runDir + ": no " + RunLayout.PLAN_COPY + ": not a run directory lab can index");
        }
        String planHash = Digests.sha256(Files.readAllBytes(planCopy));
        Path root = run.dir().root().toAbsolutePath().normalize();
        String report = manifest.report() == null ? null : root.resolve(manifest.report()).toString();
        try {
            return db.inTransaction(c -> {
                String baseline = null;
                String baselineBy = null;
                try (PreparedStatement q = c.prepareStatement("SELECT baseline, baseline_by FROM runs WHERE run_id = ?")) {
                    q.setString(1, manifest.runId());
                    try (ResultSet rs = q.executeQuery()) {
                        if (rs.next()) {
                            baseline = rs.getString(1);
                            baselineBy = rs.getString(2);
                        }
                    }
                }
                delete(c, "DELETE FROM metrics WHERE run_id = ?", manifest.runId());
                delete(c, "DELETE FROM iterations WHERE run_id = ?", manifest.runId());
                delete(c, "DELETE FROM runs WHERE run_id = ?", manifest.runId());
                try (PreparedStatement r = c.prepareStatement("INSERT INTO runs (run_id, plan_name, plan_hash, status,"
                        + " started_at, finished_at, dir, report, origin, baseline, baseline_by, indexed_at)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                    r.setString(1, manifest.runId());
                    r.setString(2, manifest.plan());
                    r.setString(3, planHash);
                    r.setString(4, manifest.status().word());
                    r.setString(5, ResultsDatabase.stamp(manifest.startedAt()));
                    r.setString(6, ResultsDatabase.stamp(manifest.finishedAt()));
                    r.setString(7, root.toString());
                    r.setString(8, report);
                    r.setString(9, origin);
                    r.setString(10, baseline);
                    r.setString(11, baselineBy);
                    r.setString(12, ResultsDatabase.stamp(Instant.now()));
                    r.executeUpdate();
                }
                try (PreparedStatement it = c.prepareStatement("INSERT INTO iterations (run_id, seq, host, kernel,"
                        + " cmdline, variant, repeat_no, status, lost_percent, dir) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
                     PreparedStatement m = c.prepareStatement(
                             "INSERT INTO metrics (run_id, seq, name, value) VALUES (?, ?, ?, ?)")) {
                    for (int seq = 0; seq < run.samples().size(); seq++) {
                        Sample sample = run.samples().get(seq);
                        Manifest.IterationEntry entry = manifest.iterations().get(seq);
                        HostFacts facts = run.facts().get(sample.host());
                        it.setString(1, manifest.runId());
                        it.setInt(2, seq);
                        it.setString(3, sample.host());
                        it.setString(4, sample.bootRelease() != null ? sample.bootRelease()
                                : facts == null ? null : facts.kernelRelease());
                        it.setString(5, entry.boot() != null ? entry.boot().cmdline()
                                : facts == null ? null : facts.cmdline());
                        it.setString(6, sample.variantLabel());
                        it.setInt(7, sample.repeat());
                        it.setString(8, sample.status().word());
                        Double lost = LostEvents.of(sample).map(LostEvents::percent).orElse(null);
                        if (lost == null) {
                            it.setNull(9, java.sql.Types.DOUBLE);
                        } else {
                            it.setDouble(9, lost);
                        }
                        it.setString(10, entry.dir());
                        it.executeUpdate();
                        for (Map.Entry<String, Double> value : sample.values().entrySet()) {
                            if (value.getValue() == null || !Double.isFinite(value.getValue())) {
                                continue; // NaN and infinities are not figures either database can order
                            }
                            m.setString(1, manifest.runId());
                            m.setInt(2, seq);
                            m.setString(3, value.getKey());
                            m.setDouble(4, value.getValue());
                            m.addBatch();
                        }
                    }
                    m.executeBatch();
                }
                return new IndexedRun(manifest.runId(), manifest.plan(), planHash, manifest.status().word(),
                        ResultsDatabase.stamp(manifest.startedAt()), root.toString(), report, origin, baseline,
                        run.samples().size());
            });
        } catch (SQLException e) {
            throw new IOException("indexing " + runDir + " into " + db.url() + ": " + e.getMessage(), e);
        }
    }

    private static void delete(java.sql.Connection c, String sql, String runId) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, runId);
            s.executeUpdate();
        }
    }
}
