package dev.reclaimlab.history;

import java.io.IOException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** What was sent about regressions, and how it went: the record that a state change was told exactly once. */
public final class Notifications {
    /**
     * @param httpStatus the last answer's status; null when no answer came
     * @param error      why it was not delivered; null when it was
     */
    public record Sent(String regressionId, String event, String target, String sentAt, Integer httpStatus,
                       int attempts, String error) {
        public boolean delivered() {
            return error == null;
        }
    }

    private final ResultsDatabase db;

    public Notifications(ResultsDatabase db) {
        this.db = db;
    }

    public void record(Sent sent) throws IOException {
        try (PreparedStatement s = db.connection().prepareStatement("INSERT INTO notifications (id, regression_id,"
                + " event, target, sent_at, http_status, attempts, error) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
            s.setString(1, UUID.randomUUID().toString());
            s.setString(2, sent.regressionId());
            s.setString(3, sent.event());
            s.setString(4, sent.target());
            s.setString(5, sent.sentAt() != null ? sent.sentAt() : ResultsDatabase.stamp(Instant.now()));
            if (sent.httpStatus() == null) {
                s.setNull(6, Types.INTEGER);
            } else {
                s.setInt(6, sent.httpStatus());
            }
            s.setInt(7, sent.attempts());
            s.setString(8, sent.error());
            s.executeUpdate();
        } catch (SQLException e) {
            throw new IOException(db.url() + ": " + e.getMessage(), e);
        }
    }

    public List<Sent> of(String regressionId) throws IOException {
        List<Sent> out = new ArrayList<>();
        try (PreparedStatement s = db.connection().prepareStatement("SELECT regression_id, event, target, sent_at,"
                + " http_status, attempts, error FROM notifications WHERE regression_id = ? ORDER BY sent_at")) {
            s.setString(1, regressionId);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    int status = rs.getInt(5);
                    Integer httpStatus = rs.wasNull() ? null : status;
                    out.add(new Sent(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), httpStatus,
                            rs.getInt(6), rs.getString(7)));
                }
            }
        } catch (SQLException e) {
            throw new IOException(db.url() + ": " + e.getMessage(), e);
        }
        return out;
    }
}
