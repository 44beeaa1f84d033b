-- Alerts (issue 19): rules made in the admin API (rules of the config file are not stored), the
-- alerts they raised (open until recovered; at most one open per rule and subject, so two
-- instances evaluating at once cannot both raise it), and exceptions teams asked for.

CREATE TABLE alert_rules (
    name         TEXT    PRIMARY KEY,
    kind         TEXT    NOT NULL,     -- spend | budget | error_rate | latency | failover_rate | channel_down | key_disabled | baseline_shift
    threshold    DOUBLE PRECISION NOT NULL,
    window_ms    BIGINT  NOT NULL,
    model        TEXT,                 -- NULL: every model
    min_requests BIGINT  NOT NULL,
    enabled      BOOLEAN NOT NULL,
    created_by   TEXT    NOT NULL,
    updated_at   BIGINT  NOT NULL      -- epoch millis
);

CREATE TABLE alerts (
    id           BIGSERIAL PRIMARY KEY,
    rule         TEXT    NOT NULL,
    kind         TEXT    NOT NULL,
    subject      TEXT    NOT NULL,     -- what it is about: model:x, channel:x, key:1, team:2, gateway
    model        TEXT,
    tier         TEXT    NOT NULL CHECK (tier IN ('info', 'warning', 'critical')),
    value        DOUBLE PRECISION NOT NULL,
    threshold    DOUBLE PRECISION NOT NULL,
    summary      TEXT    NOT NULL,
    reach_keys   BIGINT  NOT NULL,
    reach_users  BIGINT  NOT NULL,
    reach_teams  BIGINT  NOT NULL,
    reach_micros BIGINT  NOT NULL,
    started_at   BIGINT  NOT NULL,
    updated_at   BIGINT  NOT NULL,
    resolved_at  BIGINT,               -- NULL while firing
    open_key     TEXT    UNIQUE        -- rule + subject while firing, NULL once resolved
);
CREATE INDEX alerts_started ON alerts (started_at, id);

CREATE TABLE alert_exceptions (
    id            BIGSERIAL PRIMARY KEY,
    team_id       BIGINT  NOT NULL,
    rule          TEXT    NOT NULL,
    model         TEXT    NOT NULL,
    kind          TEXT    NOT NULL CHECK (kind IN ('threshold', 'silence')),
    threshold     DOUBLE PRECISION,    -- the custom threshold of a 'threshold' exception
    reason        TEXT    NOT NULL,
    evidence_link TEXT,
    evidence_baseline TEXT,            -- JSON: the baseline comparison attached when asked
    state         TEXT    NOT NULL CHECK (state IN ('pending', 'approved', 'rejected', 'expired')),
    requested_by  BIGINT  NOT NULL,
    requested_at  BIGINT  NOT NULL,
    decided_by    BIGINT,
    decided_at    BIGINT,
    decision_note TEXT,
    expires_at    BIGINT  NOT NULL
);
