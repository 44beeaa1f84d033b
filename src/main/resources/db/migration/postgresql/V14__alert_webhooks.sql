-- Alerts (issue 19), continued: webhooks made in the admin API, and the teams an alert's reach
-- touches (so a member reads the alerts of their own teams).
--
-- A webhook's URL and its extra headers carry secrets (a Slack hook's path, a token in the query, an
-- Authorization header): they are sealed with the master key like channels' provider keys
-- (AES-GCM, the webhook's name as context); only the origin (scheme://host[:port]) is stored open.
-- The config file's webhooks are not stored here; they are read-only and win on a name.
CREATE TABLE alert_webhooks (
    name        TEXT    PRIMARY KEY,
    origin      TEXT    NOT NULL,
    url_sealed  TEXT    NOT NULL,
    headers_sealed TEXT,                -- a JSON object of header names and values, sealed; NULL: none
    format      TEXT    NOT NULL CHECK (format IN ('json', 'slack')),
    min_tier    TEXT    NOT NULL CHECK (min_tier IN ('info', 'warning', 'critical')),
    timeout_ms  BIGINT  NOT NULL,
    retries     INTEGER NOT NULL,
    enabled     BOOLEAN NOT NULL,
    updated_by  TEXT    NOT NULL,
    updated_at  BIGINT  NOT NULL        -- epoch millis
);

-- The ids of the teams whose traffic the alert's reach counted, as ",1,3," ("," for none).
ALTER TABLE alerts ADD COLUMN team_ids TEXT NOT NULL DEFAULT ',';
