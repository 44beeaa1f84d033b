-- Routing rules made in the admin API (DESIGN.md §3.1 routing:, §6): one row per public model, its
-- rules as the JSON of a routing: entry (strategy, fallbacks, affinity, affinity_ttl, complexity).
-- The config file's routing: entries are not stored here; they win over nothing and are read-only.
CREATE TABLE routing_rules (
    model       TEXT    PRIMARY KEY,
    settings    TEXT    NOT NULL,
    updated_at  BIGINT  NOT NULL,   -- epoch millis
    updated_by  TEXT    NOT NULL
);
