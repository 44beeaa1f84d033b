-- Stable ids, names as labels. A gateway key or channel is identified by its id; an entry from the
-- config file is found again by (source, name), so its id survives restarts; the name is a label that
-- a dashboard entry may change without losing its history. Rows are revoked/removed, never deleted,
-- so an id is never reused and usage rows keep pointing at what served them.

-- SQLite cannot change constraints in place: rebuild gateway_keys, keeping the ids.
CREATE TABLE gateway_keys_v3 (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    source      TEXT    NOT NULL,          -- 'file' (the config file; read-only) or 'admin' (the dashboard)
    name        TEXT    NOT NULL,          -- label, unique per source
    key_hash    TEXT    UNIQUE,            -- keyed hash of the secret (KeyHasher); NULL once revoked
    key_hint    TEXT    NOT NULL,
    models      TEXT    NOT NULL,          -- JSON array of model globs
    created_at  BIGINT  NOT NULL,          -- epoch millis
    updated_at  BIGINT  NOT NULL,
    revoked_at  BIGINT,                    -- set when the entry left the file or was revoked
    UNIQUE (source, name)
);
INSERT INTO gateway_keys_v3 (id, source, name, key_hash, key_hint, models, created_at, updated_at)
    SELECT id, CASE source WHEN 'config' THEN 'file' ELSE source END, name, key_hash, key_hint, models,
           created_at, created_at
    FROM gateway_keys;
DROP TABLE gateway_keys;
ALTER TABLE gateway_keys_v3 RENAME TO gateway_keys;

-- Channels with stable ids. File entries record what identifies them; their provider keys stay in
-- the file and are never stored. Dashboard entries (later) keep their declaration in settings and
-- their provider keys in api_keys, sealed with AES-GCM (store.Secrets).
CREATE TABLE channels (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    source      TEXT    NOT NULL,          -- 'file' or 'admin'
    name        TEXT    NOT NULL,          -- label, unique per source
    type        TEXT    NOT NULL,          -- openai | anthropic | gemini
    base_url    TEXT    NOT NULL,
    settings    TEXT,                      -- JSON declaration (dashboard entries)
    api_keys    TEXT,                      -- sealed JSON array (dashboard entries); never plaintext
    created_at  BIGINT  NOT NULL,
    updated_at  BIGINT  NOT NULL,
    removed_at  BIGINT,
    UNIQUE (source, name)
);

-- Usage carries ids; the names stay for display and for rows written before this version.
ALTER TABLE usage ADD COLUMN key_id BIGINT;
ALTER TABLE usage ADD COLUMN channel_id BIGINT;
CREATE INDEX usage_key_id_ts ON usage (key_id, ts);
CREATE INDEX usage_channel_id_ts ON usage (channel_id, ts);
