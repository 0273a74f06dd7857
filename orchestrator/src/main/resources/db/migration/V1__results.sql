-- The results database: every run lab makes, per iteration and metric; baselines; regressions tracked from first
-- seen to fixed; notifications sent; host leases. One script for SQLite and PostgreSQL alike: only types and
-- statements both accept (text timestamps in one fixed ISO-8601 UTC form, so they sort as text; ids made by lab).

CREATE TABLE runs (
    run_id      VARCHAR(200)  NOT NULL PRIMARY KEY,
    plan_name   VARCHAR(200)  NOT NULL,
    plan_hash   CHAR(64)      NOT NULL,
    status      VARCHAR(20)   NOT NULL,
    started_at  VARCHAR(30)   NOT NULL,
    finished_at VARCHAR(30),
    dir         VARCHAR(4000) NOT NULL,
    report      VARCHAR(4000),
    origin      VARCHAR(20)   NOT NULL,
    baseline    VARCHAR(20),
    baseline_by VARCHAR(400),
    indexed_at  VARCHAR(30)   NOT NULL
);
CREATE INDEX runs_by_plan ON runs (plan_hash, started_at);
CREATE INDEX runs_by_name ON runs (plan_name, started_at);

CREATE TABLE iterations (
    run_id       VARCHAR(200)  NOT NULL REFERENCES runs (run_id) ON DELETE CASCADE,
    seq          INTEGER       NOT NULL,
    host         VARCHAR(200)  NOT NULL,
    kernel       VARCHAR(200),
    cmdline      VARCHAR(4000),
    variant      VARCHAR(1000) NOT NULL,
    repeat_no    INTEGER       NOT NULL,
    status       VARCHAR(30)   NOT NULL,
    lost_percent DOUBLE PRECISION,
    dir          VARCHAR(4000),
    PRIMARY KEY (run_id, seq)
);
CREATE INDEX iterations_by_host ON iterations (host, variant);

CREATE TABLE metrics (
    run_id VARCHAR(200)     NOT NULL,
    seq    INTEGER          NOT NULL,
    name   VARCHAR(300)     NOT NULL,
    value  DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (run_id, seq, name),
    FOREIGN KEY (run_id, seq) REFERENCES iterations (run_id, seq) ON DELETE CASCADE
);
CREATE INDEX metrics_by_name ON metrics (name);

CREATE TABLE regressions (
    id               VARCHAR(40)   NOT NULL PRIMARY KEY,
    plan_name        VARCHAR(200)  NOT NULL,
    plan_hash        CHAR(64)      NOT NULL,
    host             VARCHAR(200)  NOT NULL,
    variant          VARCHAR(1000) NOT NULL,
    metric           VARCHAR(300)  NOT NULL,
    state            VARCHAR(20)   NOT NULL,
    first_run        VARCHAR(200)  NOT NULL,
    first_kernel     VARCHAR(200),
    last_good_run    VARCHAR(200),
    last_good_kernel VARCHAR(200),
    last_run         VARCHAR(200)  NOT NULL,
    closed_run       VARCHAR(200),
    change_percent   DOUBLE PRECISION,
    p_value          DOUBLE PRECISION,
    figures          VARCHAR(2000),
    bisect           VARCHAR(4000),
    opened_at        VARCHAR(30)   NOT NULL,
    updated_at       VARCHAR(30)   NOT NULL,
    closed_at        VARCHAR(30)
);
CREATE INDEX regressions_by_key ON regressions (plan_hash, host, variant, metric, state);

CREATE TABLE notifications (
    id            VARCHAR(40)   NOT NULL PRIMARY KEY,
    regression_id VARCHAR(40)   NOT NULL REFERENCES regressions (id),
    event         VARCHAR(20)   NOT NULL,
    target        VARCHAR(2000) NOT NULL,
    sent_at       VARCHAR(30)   NOT NULL,
    http_status   INTEGER,
    attempts      INTEGER       NOT NULL,
    error         VARCHAR(2000)
);

CREATE TABLE leases (
    host        VARCHAR(200) NOT NULL PRIMARY KEY,
    holder      VARCHAR(400) NOT NULL,
    acquired_at VARCHAR(30)  NOT NULL,
    expires_at  VARCHAR(30)  NOT NULL
);
