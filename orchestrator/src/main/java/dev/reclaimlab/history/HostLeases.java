package dev.reclaimlab.history;

import java.io.IOException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Leases on hosts in the results database, so that two jobs on two orchestrators sharing one database never boot
 * kernels under each other's measurements. A lease expires unless its holder renews it (a job renews every minute
 * while it runs), so one whose orchestrator died frees the host by itself.
 */
public final class HostLeases {
    public static final Duration TERM = Duration.ofMinutes(10);

    private final ResultsDatabase db;

    public HostLeases(ResultsDatabase db) {
        this.db = db;
    }

    /** Takes the lease on {@code host} for {@code holder}; the current holder's description if another has it. */
    public Optional<String> take(String host, String holder, Instant now) throws IOException {
        try {
            return db.inTransaction(c -> {
                try (PreparedStatement q = c.prepareStatement("SELECT holder, acquired_at, expires_at FROM leases WHERE host = ?")) {
                    q.setString(1, host);
                    try (ResultSet rs = q.executeQuery()) {
                        if (rs.next() && rs.getString(3).compareTo(ResultsDatabase.stamp(now)) > 0
                                && !rs.getString(1).equals(holder)) {
                            return Optional.of(rs.getString(1) + " since " + rs.getString(2));
                        }
                    }
                }
                try (PreparedStatement d = c.prepareStatement("DELETE FROM leases WHERE host = ?")) {
                    d.setString(1, host);
                    d.executeUpdate();
                }
                try (PreparedStatement i = c.prepareStatement(
                        "INSERT INTO leases (host, holder, acquired_at, expires_at) VALUES (?, ?, ?, ?)")) {
                    i.setString(1, host);
                    i.setString(2, holder);
                    i.setString(3, ResultsDatabase.stamp(now));
                    i.setString(4, ResultsDatabase.stamp(now.plus(TERM)));
                    i.executeUpdate();
                }
                return Optional.<String>empty();
            });
        } catch (SQLException e) {
            // two takers inserting at once: the primary key lets one win; the other reads who
            Optional<String> holderNow = holder(host);
            if (holderNow.isPresent() && !holderNow.get().startsWith(holder + " since")) {
                return holderNow;
            }
            throw new IOException(db.url() + ": " + e.getMessage(), e);
        }
    }

    /** Pushes the lease's expiry on; false when {@code holder} no longer has it. */
    public boolean renew(String host, String holder, Instant now) throws IOException {
        try (PreparedStatement s = db.connection().prepareStatement(
                "UPDATE leases SET expires_at = ? WHERE host = ? AND holder = ?")) {
            s.setString(1, ResultsDatabase.stamp(now.plus(TERM)));
            s.setString(2, host);
            s.setString(3, holder);
            return s.executeUpdate() > 0;
        } catch (SQLException e) {
            throw new IOException(db.url() + ": " + e.getMessage(), e);
        }
    }

    public void release(String host, String holder) throws IOException {
        try (PreparedStatement s = db.connection().prepareStatement("DELETE FROM leases WHERE host = ? AND holder = ?")) {
            s.setString(1, host);
            s.setString(2, holder);
            s.executeUpdate();
        } catch (SQLException e) {
            throw new IOException(db.url() + ": " + e.getMessage(), e);
        }
    }

    private Optional<String> holder(String host) throws IOException {
        try (PreparedStatement q = db.connection().prepareStatement("SELECT holder, acquired_at FROM leases WHERE host = ?")) {
            q.setString(1, host);
            try (ResultSet rs = q.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1) + " since " + rs.getString(2)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IOException(db.url() + ": " + e.getMessage(), e);
        }
    }
}
