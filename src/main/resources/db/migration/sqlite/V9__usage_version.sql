-- Baselines per routing-config version (issue 19): one aggregate row per (version, public model,
-- channel, key, team, status class), kept by the usage writer in the transaction that inserts the
-- raw rows (INSERT ... ON CONFLICT DO UPDATE SET x = x + excluded.x, as the time rollups). The time
-- rollups have no version column and no sums of squares; this table has both, so a baseline (means
-- with confidence intervals, percentiles from the histograms, rates) of any version is read from a
-- handful of rows, however long ago the version ran and whatever keep_raw says. A new version
-- number starts new rows: that is the "fresh baseline". Absent dimensions are 0 or ''.
CREATE TABLE usage_version (
    config_version      BIGINT  NOT NULL,   -- 0: the request had no version
    public_model        TEXT    NOT NULL,   -- '': none
    channel_id          BIGINT  NOT NULL,   -- 0: no channel served it
    key_id              BIGINT  NOT NULL,   -- 0: none
    team_id             BIGINT  NOT NULL,   -- 0: none
    status_class        INTEGER NOT NULL,   -- 2, 4 or 5
    requests            BIGINT  NOT NULL,
    failovers           BIGINT  NOT NULL,
    prompt_tokens       BIGINT  NOT NULL,
    completion_tokens   BIGINT  NOT NULL,
    tokens_sq           REAL NOT NULL,   -- sum of (prompt + completion)^2, for the variance
    cost_micros         BIGINT  NOT NULL,
    cost_sq             REAL NOT NULL,   -- sum of cost_micros^2
    cost_unknown        BIGINT  NOT NULL,
    latency_ms_sum      BIGINT  NOT NULL,
    latency_sq          REAL NOT NULL,
    ttft_ms_sum         BIGINT  NOT NULL,
    ttft_sq             REAL NOT NULL,
    ttft_count          BIGINT  NOT NULL,
    -- Histograms with the bounds of usage.Histogram (bucket i: at or under 50 ms * 2^i).
    lat_h0 BIGINT NOT NULL DEFAULT 0,
    lat_h1 BIGINT NOT NULL DEFAULT 0,
    lat_h2 BIGINT NOT NULL DEFAULT 0,
    lat_h3 BIGINT NOT NULL DEFAULT 0,
    lat_h4 BIGINT NOT NULL DEFAULT 0,
    lat_h5 BIGINT NOT NULL DEFAULT 0,
    lat_h6 BIGINT NOT NULL DEFAULT 0,
    lat_h7 BIGINT NOT NULL DEFAULT 0,
    lat_h8 BIGINT NOT NULL DEFAULT 0,
    lat_h9 BIGINT NOT NULL DEFAULT 0,
    lat_h10 BIGINT NOT NULL DEFAULT 0,
    lat_h11 BIGINT NOT NULL DEFAULT 0,
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
    PRIMARY KEY (config_version, public_model, channel_id, key_id, team_id, status_class)
);
