package dev.reclaimlab.history;

import java.io.IOException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The tracked regressions in the results database. */
public final class Regressions {
    private static final String COLUMNS = "id, plan_name, plan_hash, host, variant, metric, state, first_run,"
            + " first_kernel, last_good_run, last_good_kernel, last_run, closed_run, change_percent, p_value, figures,"
            + " bisect, opened_at, updated_at, closed_at";

    private final ResultsDatabase db;

    public Regressions(ResultsDatabase db) {
        this.db = db;
    }

    /** The regression of {@code metric} under {@code key} that is not closed yet (new, confirmed or active). */
    public Optional<Regression> unclosed(BaselineKey key, String metric) throws IOException {
        return query("SELECT " + COLUMNS + " FROM regressions WHERE plan_hash = ? AND host = ? AND variant = ? AND"
                + " metric = ? AND state IN ('new', 'confirmed', 'active') ORDER BY opened_at DESC", key.planHash(),
                key.host(), key.variant(), metric).stream().findFirst();
    }

    /** Every regression of a plan (by name), oldest first, optionally on one host. */
    public List<Regression> ofPlan(String planName, String host) throws IOException {
        return host == null
                ? query("SELECT " + COLUMNS + " FROM regressions WHERE plan_name = ? ORDER BY opened_at", planName)
                : query("SELECT " + COLUMNS + " FROM regressions WHERE plan_name = ? AND host = ? ORDER BY opened_at",
                planName, host);
    }

    /** Updates the row with {@code r}'s id, or inserts it. */
    public void save(Regression r) throws IOException {
        try {
            db.inTransaction(c -> update(c, r) > 0 ? 1 : insert(c, r));
        } catch (SQLException e) {
            throw new IOException(db.url() + ": " + e.getMessage(), e);
        }
    }

    private static int insert(java.sql.Connection c, Regression r) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("INSERT INTO regressions (" + COLUMNS + ") VALUES (?, ?, ?, ?,"
                + " ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            bindAll(s, r, 1);
            return s.executeUpdate();
        }
    }

    private static int update(java.sql.Connection c, Regression r) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("UPDATE regressions SET plan_name = ?, plan_hash = ?, host = ?,"
                + " variant = ?, metric = ?, state = ?, first_run = ?, first_kernel = ?, last_good_run = ?,"
                + " last_good_kernel = ?, last_run = ?, closed_run = ?, change_percent = ?, p_value = ?, figures = ?,"
                + " bisect = ?, opened_at = ?, updated_at = ?, closed_at = ? WHERE id = ?")) {
            Object[] v = values(r);
            for (int i = 1; i < v.length; i++) {
                set(s, i, v[i], DOUBLES.contains(i));
            }
            s.setString(v.length, r.id());
            return s.executeUpdate();
        }
    }

    private static void bindAll(PreparedStatement s, Regression r, int from) throws SQLException {
        Object[] v = values(r);
        for (int i = 0; i < v.length; i++) {
            set(s, from + i, v[i], DOUBLES.contains(i));
        }
    }

    private static Object[] values(Regression r) {
        return new Object[] {r.id(), r.planName(), r.planHash(), r.host(), r.variant(), r.metric(), r.state(),
                r.firstRun(), r.firstKernel(), r.lastGoodRun(), r.lastGoodKernel(), r.lastRun(), r.closedRun(),
                r.changePercent(), r.pValue(), r.figures(), r.bisect(), r.openedAt(), r.updatedAt(), r.closedAt()};
    }

    /**
     * Positions in {@link #values} of the number columns (change_percent, p_value): a null there must be sent as a
     * null number, which PostgreSQL insists on (SQLite takes either).
     */
    private static final java.util.Set<Integer> DOUBLES = java.util.Set.of(13, 14);

    private static void set(PreparedStatement s, int index, Object value, boolean number) throws SQLException {
        if (value == null) {
            s.setNull(index, number ? Types.DOUBLE : Types.VARCHAR);
        } else if (value instanceof Double d) {
            if (Double.isFinite(d)) {
                s.setDouble(index, d);
            } else {
                s.setNull(index, Types.DOUBLE);
            }
        } else {
            s.setString(index, value.toString());
        }
    }

    private List<Regression> query(String sql, String... args) throws IOException {
        List<Regression> out = new ArrayList<>();
        try (PreparedStatement s = db.connection().prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                s.setString(i + 1, args[i]);
            }
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    out.add(new Regression(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9),
                            rs.getString(10), rs.getString(11), rs.getString(12), rs.getString(13), number(rs, 14),
                            number(rs, 15), rs.getString(16), rs.getString(17), rs.getString(18), rs.getString(19),
                            rs.getString(20)));
                }
            }
        } catch (SQLException e) {
            throw new IOException(db.url() + ": " + e.getMessage(), e);
        }
        return out;
    }

    private static Double number(ResultSet rs, int column) throws SQLException {
        double v = rs.getDouble(column);
        return rs.wasNull() ? null : v;
    }
}
