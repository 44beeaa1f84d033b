-- Keys and channels made in the admin API, and routing-config versions (DESIGN.md §6).

-- Gateway keys of the admin API: who owns them, what people see of them, and where and until when
-- they work. Keys of the config file leave these empty (no owner, no expiry, any address).
ALTER TABLE gateway_keys ADD COLUMN key_prefix TEXT;     -- first characters, e.g. 'sk-AbCd'
ALTER TABLE gateway_keys ADD COLUMN user_id BIGINT;      -- the owner (a user)
ALTER TABLE gateway_keys ADD COLUMN team_id BIGINT;
ALTER TABLE gateway_keys ADD COLUMN expires_at BIGINT;   -- epoch millis; NULL never
ALTER TABLE gateway_keys ADD COLUMN allowed_ips TEXT;    -- JSON array of addresses and CIDR ranges; NULL anywhere
CREATE INDEX gateway_keys_user ON gateway_keys (user_id);

-- A channel of the admin API can be switched off without losing its settings.
ALTER TABLE channels ADD COLUMN enabled BOOLEAN NOT NULL DEFAULT TRUE;

-- One row per change of the routing config (keys, channels): the API, a reload, or a start with
-- a changed file. document is the whole routing config as the change left it and diff what changed,
-- both JSON without secrets (provider keys masked, gateway keys only as their hint).
CREATE TABLE config_versions (
    version   BIGINT  PRIMARY KEY,
    at        BIGINT  NOT NULL,        -- epoch millis
    actor     TEXT    NOT NULL,
    source    TEXT    NOT NULL,        -- start | reload | api
    summary   TEXT    NOT NULL,
    diff      TEXT    NOT NULL,
    document  TEXT    NOT NULL
);
