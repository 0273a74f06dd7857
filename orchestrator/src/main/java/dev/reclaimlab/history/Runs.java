package dev.reclaimlab.history;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Runs and their iterations read back from the results database, and the baseline decisions made about runs. */
public final class Runs {
    private static final String RUN_COLUMNS = "r.run_id, r.plan_name, r.plan_hash, r.status, r.started_at, r.dir,"
            + " r.report, r.origin, r.baseline, (SELECT COUNT(*) FROM iterations i WHERE i.run_id = r.run_id)";

    private final ResultsDatabase db;

    public Runs(ResultsDatabase db) {
        this.db = db;
    }

    public Optional<IndexedRun> find(String runId) throws IOException {
        List<IndexedRun> runs = query("SELECT " + RUN_COLUMNS + " FROM runs r WHERE r.run_id = ?", runId);
        return runs.stream().findFirst();
    }

    /** Runs of a plan (by name, or by hash when {@code planHash} is given), oldest first, optionally on one host. */
    public List<IndexedRun> ofPlan(String planName, String planHash, String host) throws IOException {
        StringBuilder sql = new StringBuilder("SELECT " + RUN_COLUMNS + " FROM runs r WHERE ");
        List<String> args = new ArrayList<>();
        if (planHash != null) {
            sql.append("r.plan_hash = ?");
            args.add(planHash);
        } else {
            sql.append("r.plan_name = ?");
            args.add(planName);
        }
        if (host != null) {
            sql.append(" AND EXISTS (SELECT 1 FROM iterations i WHERE i.run_id = r.run_id AND i.host = ?)");
            args.add(host);
        }
        sql.append(" ORDER BY r.started_at, r.run_id");
        return query(sql.toString(), args.toArray(String[]::new));
    }

    /**
     * Accepted runs of {@code key}'s plan with iterations of its host and variant, newest first: the runs a baseline is
     * pooled from.
     */
    public List<IndexedRun> accepted(BaselineKey key) throws IOException {
        return query("SELECT " + RUN_COLUMNS + " FROM runs r WHERE r.plan_hash = ? AND r.baseline = ? AND EXISTS"
                + " (SELECT 1 FROM iterations i WHERE i.run_id = r.run_id AND i.host = ? AND i.variant = ?)"
                + " ORDER BY r.started_at DESC, r.run_id DESC", key.planHash(), IndexedRun.ACCEPTED, key.host(),
                key.variant());
    }

    /** Records a person's or a job's decision about a run: {@link IndexedRun#ACCEPTED} or {@link IndexedRun#REJECTED}. */
    public void decide(String runId, String decision, String by) throws IOException {
        try (PreparedStatement s = db.connection().prepareStatement(
                "UPDATE runs SET baseline = ?, baseline_by = ? WHERE run_id = ?")) {
            s.setString(1, decision);
            s.setString(2, by + " at " + ResultsDatabase.stamp(Instant.now()));
            s.setString(3, runId);
            if (s.executeUpdate() == 0) {
                throw new IOException("run " + runId + " is not in " + db.url() + " (lab history import RUN-DIR)");
            }
        } catch (SQLException e) {
            throw new IOException(db.url() + ": " + e.getMessage(), e);
        }
    }

    /**
     * The iterations of {@code runIds} on {@code host} (all hosts when null) and {@code variant} (all when null), oldest
     * run first, each with the values of {@code metrics} it has (every metric when {@code metrics} is null).
     */
    public List<StoredIteration> iterations(Collection<String> runIds, String host, String variant,
                                            Collection<String> metrics) throws IOException {
        if (runIds.isEmpty()) {
            return List.of();
        }
        String in = String.join(", ", java.util.Collections.nCopies(runIds.size(), "?"));
        StringBuilder sql = new StringBuilder("SELECT i.run_id, r.started_at, i.seq, i.host, i.kernel, i.cmdline,"
                + " i.variant, i.repeat_no, i.status, i.lost_percent, i.dir FROM iterations i JOIN runs r ON r.run_id ="
                + " i.run_id WHERE i.run_id IN (" + in + ")");
        List<String> args = new ArrayList<>(runIds);
        if (host != null) {
            sql.append(" AND i.host = ?");
            args.add(host);
        }
        if (variant != null) {
            sql.append(" AND i.variant = ?");
            args.add(variant);
        }
        sql.append(" ORDER BY r.started_at, i.run_id, i.seq");
        Connection c = db.connection();
        try {
            Map<String, Map<Integer, Map<String, Double>>> values = values(c, in, runIds, metrics);
            List<StoredIteration> out = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement(sql.toString())) {
                bind(s, args);
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        String runId = rs.getString(1);
                        int seq = rs.getInt(3);
                        double lost = rs.getDouble(10);
                        Double lostPercent = rs.wasNull() ? null : lost;
                        out.add(new StoredIteration(runId, rs.getString(2), seq, rs.getString(4), rs.getString(5),
                                rs.getString(6), rs.getString(7), rs.getInt(8), rs.getString(9), lostPercent,
                                rs.getString(11), values.getOrDefault(runId, Map.of()).getOrDefault(seq, Map.of())));
                    }
                }
            }
            return out;
        } catch (SQLException e) {
            throw new IOException(db.url() + ": " + e.getMessage(), e);
        }
    }

    private static Map<String, Map<Integer, Map<String, Double>>> values(Connection c, String in,
                                                                         Collection<String> runIds,
                                                                         Collection<String> metrics) throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT run_id, seq, name, value FROM metrics WHERE run_id IN (" + in + ")");
        List<String> args = new ArrayList<>(runIds);
        if (metrics != null) {
            if (metrics.isEmpty()) {
                return Map.of();
            }
            sql.append(" AND name IN (").append(String.join(", ", java.util.Collections.nCopies(metrics.size(), "?")))
                    .append(")");
            args.addAll(metrics);
        }
        Map<String, Map<Integer, Map<String, Double>>> out = new LinkedHashMap<>();
        try (PreparedStatement s = c.prepareStatement(sql.toString())) {
            bind(s, args);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    out.computeIfAbsent(rs.getString(1), k -> new LinkedHashMap<>())
                            .computeIfAbsent(rs.getInt(2), k -> new LinkedHashMap<>())
                            .put(rs.getString(3), rs.getDouble(4));
                }
            }
        }
        return out;
    }

    /** The metric names a plan's runs have, sorted. */
    public List<String> metricNames(String planName) throws IOException {
        List<String> names = new ArrayList<>();
        try (PreparedStatement s = db.connection().prepareStatement("SELECT DISTINCT m.name FROM metrics m JOIN runs r"
                + " ON r.run_id = m.run_id WHERE r.plan_name = ? ORDER BY m.name")) {
            s.setString(1, planName);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    names.add(rs.getString(1));
                }
            }
        } catch (SQLException e) {
            throw new IOException(db.url() + ": " + e.getMessage(), e);
        }
        return names;
    }

    private List<IndexedRun> query(String sql, String... args) throws IOException {
        List<IndexedRun> out = new ArrayList<>();
        try (PreparedStatement s = db.connection().prepareStatement(sql)) {
            bind(s, List.of(args));
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    out.add(new IndexedRun(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9),
                            rs.getInt(10)));
                }
            }
        } catch (SQLException e) {
            throw new IOException(db.url() + ": " + e.getMessage(), e);
        }
        return out;
    }

    private static void bind(PreparedStatement s, List<String> args) throws SQLException {
        for (int i = 0; i < args.size(); i++) {
            s.setString(i + 1, args.get(i));
        }
    }
}
