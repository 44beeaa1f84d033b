-- Stable ids, names as labels. A gateway key or channel is identified by its id; an entry from the
-- config file is found again by (source, name), so its id survives restarts; the name is a label that
-- a dashboard entry may change without losing its history. Rows are revoked/removed, never deleted,
-- so an id is never reused and usage rows keep pointing at what served them.

ALTER TABLE gateway_keys DROP CONSTRAINT gateway_keys_name_key;
UPDATE gateway_keys SET source = 'file' WHERE source = 'config';
ALTER TABLE gateway_keys ALTER COLUMN key_hash DROP NOT NULL;   -- NULL once revoked
ALTER TABLE gateway_keys ADD COLUMN updated_at BIGINT;
UPDATE gateway_keys SET updated_at = created_at;
ALTER TABLE gateway_keys ALTER COLUMN updated_at SET NOT NULL;
ALTER TABLE gateway_keys ADD COLUMN revoked_at BIGINT;          -- set when the entry left the file or was revoked
ALTER TABLE gateway_keys ADD CONSTRAINT gateway_keys_source_name UNIQUE (source, name);

-- Channels with stable ids. File entries record what identifies them; their provider keys stay in
-- the file and are never stored. Dashboard entries (later) keep their declaration in settings and
-- their provider keys in api_keys, sealed with AES-GCM (store.Secrets).
CREATE TABLE channels (
    id          BIGSERIAL PRIMARY KEY,
    source      TEXT    NOT NULL,          -- 'file' or 'admin'
    name        TEXT    NOT NULL,          -- label, unique per source
    type        TEXT    NOT NULL,          -- openai | anthropic | gemini
    base_url    TEXT    NOT NULL,
    settings    TEXT,                      -- JSON declaration (dashboard entries)
    api_keys    TEXT,                      -- sealed JSON array (dashboard entries); never plaintext
    created_at  BIGINT  NOT NULL,
    updated_at  BIGINT  NOT NULL,
    removed_at  BIGINT,
    CONSTRAINT channels_source_name UNIQUE (source, name)
);

-- Usage carries ids; the names stay for display and for rows written before this version.
ALTER TABLE usage ADD COLUMN key_id BIGINT;
ALTER TABLE usage ADD COLUMN channel_id BIGINT;
CREATE INDEX usage_key_id_ts ON usage (key_id, ts);
CREATE INDEX usage_channel_id_ts ON usage (channel_id, ts);
