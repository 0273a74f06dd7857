package dev.reclaimlab.history;

import dev.reclaimlab.local.LabHome;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Properties;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;

/**
 * An open results database, its schema brought up to date by the migrations in {@code db/migration} (Flyway: the same
 * scripts for SQLite and PostgreSQL). One JDBC connection; the DAOs of this package borrow it.
 *
 * <p>Where: {@code --db URL}, else {@code $LAB_DB}, else {@code jdbc:sqlite:$LAB_HOME/results.db}. A PostgreSQL URL
 * carries its user and password as JDBC parameters, or {@code $LAB_DB_USER} and {@code $LAB_DB_PASSWORD}.
 */
public final class ResultsDatabase implements AutoCloseable {
    /** Every timestamp in the database has this one form, so that text order is time order in both databases. */
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    private final String url;
    private final Connection connection;

    private ResultsDatabase(String url, Connection connection) {
        this.url = url;
        this.connection = connection;
    }

    /** The database {@code lab} uses when nothing names one. */
    public static String defaultUrl(LabHome home) {
        return "jdbc:sqlite:" + home.root().resolve("results.db");
    }

    /** {@code given}, else {@code $LAB_DB}, else the default under {@code $LAB_HOME}. */
    public static String resolveUrl(String given, Map<String, String> env, LabHome home) {
        if (given != null && !given.isBlank()) {
            return given;
        }
        String fromEnv = env.get("LAB_DB");
        return fromEnv != null && !fromEnv.isBlank() ? fromEnv : defaultUrl(home);
    }

    /** Opens (creating an SQLite file and its folder where needed) and migrates. */
    public static ResultsDatabase open(String url, Map<String, String> env) throws IOException {
        if (!url.startsWith("jdbc:sqlite:") && !url.startsWith("jdbc:postgresql:")) {
            throw new IOException("results database " + url + ": lab speaks jdbc:sqlite:FILE and jdbc:postgresql://HOST/DB");
        }
        Properties credentials = new Properties();
        if (env.get("LAB_DB_USER") != null) {
            credentials.setProperty("user", env.get("LAB_DB_USER"));
        }
        if (env.get("LAB_DB_PASSWORD") != null) {
            credentials.setProperty("password", env.get("LAB_DB_PASSWORD"));
        }
        if (url.startsWith("jdbc:sqlite:")) {
            String file = url.substring("jdbc:sqlite:".length());
            int query = file.indexOf('?');
            Path path = Path.of(query < 0 ? file : file.substring(0, query));
            if (path.getParent() != null) {
                Files.createDirectories(path.getParent());
            }
        }
        try {
            migrate(url, credentials);
            Connection connection = DriverManager.getConnection(url, credentials);
            if (url.startsWith("jdbc:sqlite:")) {
                try (Statement s = connection.createStatement()) {
                    // several lab processes share the file: wait for a writer instead of failing at once
                    s.execute("PRAGMA busy_timeout = 30000");
                    s.execute("PRAGMA foreign_keys = ON");
                }
            }
            return new ResultsDatabase(url, connection);
        } catch (SQLException | FlywayException e) {
            throw new IOException("results database " + redact(url) + ": " + e.getMessage(), e);
        }
    }

    private static void migrate(String url, Properties credentials) {
        Flyway.configure(ResultsDatabase.class.getClassLoader())
                .dataSource(url, credentials.getProperty("user"), credentials.getProperty("password"))
                .locations("classpath:db/migration")
                .mixed(true)
                .load()
                .migrate();
    }

    /** The URL without a password parameter, for messages. */
    static String redact(String url) {
        return url.replaceAll("(?i)(password=)[^&]*", "$1***");
    }

    public String url() {
        return redact(url);
    }

    public boolean isPostgres() {
        return url.startsWith("jdbc:postgresql:");
    }

    Connection connection() {
        return connection;
    }

    /** Runs {@code work} in one transaction: all of it or none. */
    <T> T inTransaction(SqlWork<T> work) throws SQLException {
        boolean auto = connection.getAutoCommit();
        connection.setAutoCommit(false);
        try {
            T result = work.run(connection);
            connection.commit();
            return result;
        } catch (SQLException | RuntimeException e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(auto);
        }
    }

    @FunctionalInterface
    interface SqlWork<T> {
        T run(Connection connection) throws SQLException;
    }

    public static String stamp(Instant instant) {
        return STAMP.format(instant.truncatedTo(ChronoUnit.MILLIS));
    }

    /** A manifest's time in the database's form; the text itself when it is not a time lab can read. */
    static String stamp(String isoTime) {
        if (isoTime == null) {
            return null;
        }
        try {
            return stamp(Instant.parse(isoTime));
        } catch (java.time.format.DateTimeParseException e) {
            try {
                return stamp(java.time.OffsetDateTime.parse(isoTime).toInstant());
            } catch (java.time.format.DateTimeParseException e2) {
                return isoTime;
            }
        }
    }

    @Override
    public void close() throws IOException {
        try {
            connection.close();
        } catch (SQLException e) {
            throw new IOException("closing " + url() + ": " + e.getMessage(), e);
        }
    }
}
