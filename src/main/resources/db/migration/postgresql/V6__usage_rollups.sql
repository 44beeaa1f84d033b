-- The complete usage record (issue 13) and its rollups.
--
-- Raw rows get cost (integer micro-dollars, NULL when unknown), the client API, where the token
-- counts came from, the client's address, user, team and routing-config version.
--
-- Rollups: one row per (bucket, key, user, team, public model, channel, upstream model, status
-- class) in three grains, kept by the usage writer in the same transaction as the raw rows with
-- INSERT ... ON CONFLICT DO UPDATE SET x = x + excluded.x, so several instances may write at once.
-- Absent dimensions are 0 or '' (not NULL) so that the primary key matches them.

ALTER TABLE usage ADD COLUMN cost_micros BIGINT;        -- NULL: unknown (model or price not known)
ALTER TABLE usage ADD COLUMN client_api TEXT;            -- openai | anthropic | responses | gemini | embeddings
ALTER TABLE usage ADD COLUMN token_source TEXT;          -- provider | estimated; NULL when no tokens
ALTER TABLE usage ADD COLUMN client_ip TEXT;
ALTER TABLE usage ADD COLUMN user_id BIGINT;             -- NULL until keys belong to users
ALTER TABLE usage ADD COLUMN team_id BIGINT;
ALTER TABLE usage ADD COLUMN config_version INTEGER;     -- routing-config version it was routed under

-- Raw rows: the dashboard's filters, each with time then id so that keyset paging (newest first,
-- (ts, id) < cursor) reads the index backwards and stops after the page.
CREATE INDEX usage_ts_id ON usage (ts, id);
CREATE INDEX usage_model_ts ON usage (public_model, ts, id);
CREATE INDEX usage_user_ts ON usage (user_id, ts, id);
CREATE INDEX usage_status_ts ON usage (status, ts, id);
CREATE INDEX usage_end_ts ON usage (end_reason, ts, id);
CREATE INDEX usage_key_id_ts_id ON usage (key_id, ts, id);
CREATE INDEX usage_channel_id_ts_id ON usage (channel_id, ts, id);
CREATE INDEX usage_request_id ON usage (request_id);
DROP INDEX usage_key_id_ts;
DROP INDEX usage_channel_id_ts;
DROP INDEX usage_ts;

CREATE TABLE usage_minute (
    bucket              BIGINT  NOT NULL,   -- epoch millis of the bucket's start (UTC)
    key_id              BIGINT  NOT NULL,   -- 0: none (the request was refused before a key was known)
    user_id             BIGINT  NOT NULL,   -- 0: none
    team_id             BIGINT  NOT NULL,   -- 0: none
    public_model        TEXT    NOT NULL,   -- '': none
    channel_id          BIGINT  NOT NULL,   -- 0: no channel served it
    upstream_model      TEXT    NOT NULL,   -- '': none
    status_class        INTEGER NOT NULL,   -- 2, 4 or 5 (status / 100)
    requests            BIGINT  NOT NULL,
    failovers           BIGINT  NOT NULL,   -- requests that tried more than one channel (or retried)
    streams             BIGINT  NOT NULL,
    estimated           BIGINT  NOT NULL,   -- requests whose tokens were estimated, not reported
    prompt_tokens       BIGINT  NOT NULL,
    completion_tokens   BIGINT  NOT NULL,
    cached_read_tokens  BIGINT  NOT NULL,
    cache_write_tokens  BIGINT  NOT NULL,
    reasoning_tokens    BIGINT  NOT NULL,
    cost_micros         BIGINT  NOT NULL,   -- sum of the known costs
    cost_unknown        BIGINT  NOT NULL,   -- requests with tokens whose cost is unknown
    latency_ms_sum      BIGINT  NOT NULL,
    ttft_ms_sum         BIGINT  NOT NULL,
    ttft_count          BIGINT  NOT NULL,
    -- Latency and time-to-first-byte histograms: bucket i counts values at or under
    -- 50 ms * 2^i (i = 0..10), bucket 11 the rest (see usage.Histogram).
    lat_h0  BIGINT NOT NULL DEFAULT 0,
    lat_h1  BIGINT NOT NULL DEFAULT 0,
    lat_h2  BIGINT NOT NULL DEFAULT 0,
    lat_h3  BIGINT NOT NULL DEFAULT 0,
    lat_h4  BIGINT NOT NULL DEFAULT 0,
    lat_h5  BIGINT NOT NULL DEFAULT 0,
    lat_h6  BIGINT NOT NULL DEFAULT 0,
    lat_h7  BIGINT NOT NULL DEFAULT 0,
    lat_h8  BIGINT NOT NULL DEFAULT 0,
    lat_h9  BIGINT NOT NULL DEFAULT 0,
    lat_h10  BIGINT NOT NULL DEFAULT 0,
    lat_h11  BIGINT NOT NULL DEFAULT 0,
    ttft_h0 BIGINT NOT NULL DEFAULT 0,
    ttft_h1 BIGINT NOT NULL DEFAULT 0,
    ttft_h2 BIGINT NOT NULL DEFAULT 0,
    ttft_h3 BIGINT NOT NULL DEFAULT 0,
    ttft_h4 BIGINT NOT NULL DEFAULT 0,
    ttft_h5 BIGINT NOT NULL DEFAULT 0,
    ttft_h6 BIGINT NOT NULL DEFAULT 0,
    ttft_h7 BIGINT NOT NULL DEFAULT 0,
    ttft_h8 BIGINT NOT NULL DEFAULT 0,
    ttft_h9 BIGINT NOT NULL DEFAULT 0,
    ttft_h10 BIGINT NOT NULL DEFAULT 0,
    ttft_h11 BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (bucket, key_id, user_id, team_id, public_model, channel_id, upstream_model, status_class)
);

CREATE TABLE usage_hour (
    bucket              BIGINT  NOT NULL,   -- epoch millis of the bucket's start (UTC)
    key_id              BIGINT  NOT NULL,   -- 0: none (the request was refused before a key was known)
    user_id             BIGINT  NOT NULL,   -- 0: none
    team_id             BIGINT  NOT NULL,   -- 0: none
    public_model        TEXT    NOT NULL,   -- '': none
    channel_id          BIGINT  NOT NULL,   -- 0: no channel served it
    upstream_model      TEXT    NOT NULL,   -- '': none
    status_class        INTEGER NOT NULL,   -- 2, 4 or 5 (status / 100)
    requests            BIGINT  NOT NULL,
    failovers           BIGINT  NOT NULL,   -- requests that tried more than one channel (or retried)
    streams             BIGINT  NOT NULL,
    estimated           BIGINT  NOT NULL,   -- requests whose tokens were estimated, not reported
    prompt_tokens       BIGINT  NOT NULL,
    completion_tokens   BIGINT  NOT NULL,
    cached_read_tokens  BIGINT  NOT NULL,
    cache_write_tokens  BIGINT  NOT NULL,
    reasoning_tokens    BIGINT  NOT NULL,
    cost_micros         BIGINT  NOT NULL,   -- sum of the known costs
    cost_unknown        BIGINT  NOT NULL,   -- requests with tokens whose cost is unknown
    latency_ms_sum      BIGINT  NOT NULL,
    ttft_ms_sum         BIGINT  NOT NULL,
    ttft_count          BIGINT  NOT NULL,
    -- Latency and time-to-first-byte histograms: bucket i counts values at or under
    -- 50 ms * 2^i (i = 0..10), bucket 11 the rest (see usage.Histogram).
    lat_h0  BIGINT NOT NULL DEFAULT 0,
    lat_h1  BIGINT NOT NULL DEFAULT 0,
    lat_h2  BIGINT NOT NULL DEFAULT 0,
    lat_h3  BIGINT NOT NULL DEFAULT 0,
    lat_h4  BIGINT NOT NULL DEFAULT 0,
    lat_h5  BIGINT NOT NULL DEFAULT 0,
    lat_h6  BIGINT NOT NULL DEFAULT 0,
    lat_h7  BIGINT NOT NULL DEFAULT 0,
    lat_h8  BIGINT NOT NULL DEFAULT 0,
    lat_h9  BIGINT NOT NULL DEFAULT 0,
    lat_h10  BIGINT NOT NULL DEFAULT 0,
    lat_h11  BIGINT NOT NULL DEFAULT 0,
    ttft_h0 BIGINT NOT NULL DEFAULT 0,
    ttft_h1 BIGINT NOT NULL DEFAULT 0,
    ttft_h2 BIGINT NOT NULL DEFAULT 0,
    ttft_h3 BIGINT NOT NULL DEFAULT 0,
    ttft_h4 BIGINT NOT NULL DEFAULT 0,
    ttft_h5 BIGINT NOT NULL DEFAULT 0,
    ttft_h6 BIGINT NOT NULL DEFAULT 0,
    ttft_h7 BIGINT NOT NULL DEFAULT 0,
    ttft_h8 BIGINT NOT NULL DEFAULT 0,
    ttft_h9 BIGINT NOT NULL DEFAULT 0,
    ttft_h10 BIGINT NOT NULL DEFAULT 0,
    ttft_h11 BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (bucket, key_id, user_id, team_id, public_model, channel_id, upstream_model, status_class)
);

CREATE TABLE usage_day (
    bucket              BIGINT  NOT NULL,   -- epoch millis of the bucket's start (UTC)
    key_id              BIGINT  NOT NULL,   -- 0: none (the request was refused before a key was known)
    user_id             BIGINT  NOT NULL,   -- 0: none
    team_id             BIGINT  NOT NULL,   -- 0: none
    public_model        TEXT    NOT NULL,   -- '': none
    channel_id          BIGINT  NOT NULL,   -- 0: no channel served it
    upstream_model      TEXT    NOT NULL,   -- '': none
    status_class        INTEGER NOT NULL,   -- 2, 4 or 5 (status / 100)
    requests            BIGINT  NOT NULL,
    failovers           BIGINT  NOT NULL,   -- requests that tried more than one channel (or retried)
    streams             BIGINT  NOT NULL,
    estimated           BIGINT  NOT NULL,   -- requests whose tokens were estimated, not reported
    prompt_tokens       BIGINT  NOT NULL,
    completion_tokens   BIGINT  NOT NULL,
    cached_read_tokens  BIGINT  NOT NULL,
    cache_write_tokens  BIGINT  NOT NULL,
    reasoning_tokens    BIGINT  NOT NULL,
    cost_micros         BIGINT  NOT NULL,   -- sum of the known costs
    cost_unknown        BIGINT  NOT NULL,   -- requests with tokens whose cost is unknown
    latency_ms_sum      BIGINT  NOT NULL,
    ttft_ms_sum         BIGINT  NOT NULL,
    ttft_count          BIGINT  NOT NULL,
    -- Latency and time-to-first-byte histograms: bucket i counts values at or under
    -- 50 ms * 2^i (i = 0..10), bucket 11 the rest (see usage.Histogram).
    lat_h0  BIGINT NOT NULL DEFAULT 0,
    lat_h1  BIGINT NOT NULL DEFAULT 0,
    lat_h2  BIGINT NOT NULL DEFAULT 0,
    lat_h3  BIGINT NOT NULL DEFAULT 0,
    lat_h4  BIGINT NOT NULL DEFAULT 0,
    lat_h5  BIGINT NOT NULL DEFAULT 0,
    lat_h6  BIGINT NOT NULL DEFAULT 0,
    lat_h7  BIGINT NOT NULL DEFAULT 0,
    lat_h8  BIGINT NOT NULL DEFAULT 0,
    lat_h9  BIGINT NOT NULL DEFAULT 0,
    lat_h10  BIGINT NOT NULL DEFAULT 0,
    lat_h11  BIGINT NOT NULL DEFAULT 0,
    ttft_h0 BIGINT NOT NULL DEFAULT 0,
    ttft_h1 BIGINT NOT NULL DEFAULT 0,
    ttft_h2 BIGINT NOT NULL DEFAULT 0,
    ttft_h3 BIGINT NOT NULL DEFAULT 0,
    ttft_h4 BIGINT NOT NULL DEFAULT 0,
    ttft_h5 BIGINT NOT NULL DEFAULT 0,
    ttft_h6 BIGINT NOT NULL DEFAULT 0,
    ttft_h7 BIGINT NOT NULL DEFAULT 0,
    ttft_h8 BIGINT NOT NULL DEFAULT 0,
    ttft_h9 BIGINT NOT NULL DEFAULT 0,
    ttft_h10 BIGINT NOT NULL DEFAULT 0,
    ttft_h11 BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (bucket, key_id, user_id, team_id, public_model, channel_id, upstream_model, status_class)
);
