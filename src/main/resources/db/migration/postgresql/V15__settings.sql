-- Runtime settings set in the admin API (/api/settings; DESIGN.md §6): one row per setting, by its
-- dotted name as in the config file (failover.max_attempts, failover.breaker.window, usage.keep_raw),
-- its value as JSON in the file's syntax ("30s", 3, true). A setting the config file gives is not
-- stored here: the file's value is read-only; a setting with no row runs on its default.
CREATE TABLE settings (
    name        TEXT    PRIMARY KEY,
    value       TEXT    NOT NULL,
    updated_at  BIGINT  NOT NULL,   -- epoch millis
    updated_by  TEXT    NOT NULL
);
