-- Gateway keys: only a keyed hash of the secret is stored (see KeyHasher).
CREATE TABLE gateway_keys (
    id          BIGSERIAL PRIMARY KEY,
    name        TEXT    NOT NULL UNIQUE,
    key_hash    TEXT    NOT NULL UNIQUE,
    key_hint    TEXT    NOT NULL,
    models      TEXT    NOT NULL,          -- JSON array of model globs
    source      TEXT    NOT NULL,          -- 'config' or 'admin'
    created_at  BIGINT  NOT NULL           -- epoch millis
);

-- One row per request, written in batches off the request thread.
CREATE TABLE usage (
    id                 BIGSERIAL PRIMARY KEY,
    request_id         TEXT    NOT NULL,
    ts                 BIGINT  NOT NULL,   -- epoch millis when the request arrived
    key_name           TEXT,
    public_model       TEXT,
    channel            TEXT,
    upstream_model     TEXT,
    status             INTEGER NOT NULL,
    prompt_tokens      BIGINT  NOT NULL DEFAULT 0,
    completion_tokens  BIGINT  NOT NULL DEFAULT 0,
    latency_ms         BIGINT  NOT NULL,
    first_byte_ms      BIGINT,
    stream             BOOLEAN NOT NULL,
    attempts           TEXT    NOT NULL,   -- JSON array: channel, key, status, outcome, ms
    end_reason         TEXT    NOT NULL
);
CREATE INDEX usage_ts ON usage (ts);
CREATE INDEX usage_key_ts ON usage (key_name, ts);
