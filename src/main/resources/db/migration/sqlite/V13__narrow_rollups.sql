-- Narrower rollups for the dashboard's views (issue 13: bounded queries at 20 M rows).
--
-- The full rollups (V6) have one row per (bucket, key, user, team, model, channel, upstream model,
-- status class): when many keys use many models over many channels, nearly every request is its own
-- hour row and a 30-day breakdown reads as many rows as the raw table holds. Two narrower families
-- in hour and day grains hold the same sums with fewer dimensions:
--   usage_route_hour / usage_route_day:     (bucket, public model, channel, upstream model, status class)
--   usage_account_hour / usage_account_day: (bucket, key, user, team, status class)
-- Their size depends on how many models/channels (or keys/users/teams) there are, never on the
-- number of requests. UsageStats reads the narrowest table that has every dimension a query filters
-- or groups by; the full tables remain for a query that mixes both (a member's usage by model), with
-- indexes on key and user so that one's rows are found without reading everyone's.
-- The writer keeps them in the same transaction as the raw rows (usage.Rollups); existing rollups
-- are folded into them here.

CREATE TABLE usage_route_hour (
    bucket           BIGINT  NOT NULL,
    public_model     TEXT    NOT NULL,
    channel_id       BIGINT  NOT NULL,
    upstream_model   TEXT    NOT NULL,
    status_class     INTEGER NOT NULL,
    requests BIGINT NOT NULL DEFAULT 0,
    failovers BIGINT NOT NULL DEFAULT 0,
    streams BIGINT NOT NULL DEFAULT 0,
    estimated BIGINT NOT NULL DEFAULT 0,
    prompt_tokens BIGINT NOT NULL DEFAULT 0,
    completion_tokens BIGINT NOT NULL DEFAULT 0,
    cached_read_tokens BIGINT NOT NULL DEFAULT 0,
    cache_write_tokens BIGINT NOT NULL DEFAULT 0,
    reasoning_tokens BIGINT NOT NULL DEFAULT 0,
    cost_micros BIGINT NOT NULL DEFAULT 0,
    cost_unknown BIGINT NOT NULL DEFAULT 0,
    latency_ms_sum BIGINT NOT NULL DEFAULT 0,
    ttft_ms_sum BIGINT NOT NULL DEFAULT 0,
    ttft_count BIGINT NOT NULL DEFAULT 0,
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
    PRIMARY KEY (bucket, public_model, channel_id, upstream_model, status_class)
);

INSERT INTO usage_route_hour (bucket, public_model, channel_id, upstream_model, status_class, requests, failovers, streams, estimated, prompt_tokens, completion_tokens, cached_read_tokens, cache_write_tokens, reasoning_tokens, cost_micros, cost_unknown, latency_ms_sum, ttft_ms_sum, ttft_count, lat_h0, lat_h1, lat_h2, lat_h3, lat_h4, lat_h5, lat_h6, lat_h7, lat_h8, lat_h9, lat_h10, lat_h11, ttft_h0, ttft_h1, ttft_h2, ttft_h3, ttft_h4, ttft_h5, ttft_h6, ttft_h7, ttft_h8, ttft_h9, ttft_h10, ttft_h11)
SELECT bucket, public_model, channel_id, upstream_model, status_class, SUM(requests), SUM(failovers), SUM(streams), SUM(estimated), SUM(prompt_tokens), SUM(completion_tokens), SUM(cached_read_tokens), SUM(cache_write_tokens), SUM(reasoning_tokens), SUM(cost_micros), SUM(cost_unknown), SUM(latency_ms_sum), SUM(ttft_ms_sum), SUM(ttft_count), SUM(lat_h0), SUM(lat_h1), SUM(lat_h2), SUM(lat_h3), SUM(lat_h4), SUM(lat_h5), SUM(lat_h6), SUM(lat_h7), SUM(lat_h8), SUM(lat_h9), SUM(lat_h10), SUM(lat_h11), SUM(ttft_h0), SUM(ttft_h1), SUM(ttft_h2), SUM(ttft_h3), SUM(ttft_h4), SUM(ttft_h5), SUM(ttft_h6), SUM(ttft_h7), SUM(ttft_h8), SUM(ttft_h9), SUM(ttft_h10), SUM(ttft_h11)
FROM usage_hour GROUP BY bucket, public_model, channel_id, upstream_model, status_class;

CREATE TABLE usage_route_day (
    bucket           BIGINT  NOT NULL,
    public_model     TEXT    NOT NULL,
    channel_id       BIGINT  NOT NULL,
    upstream_model   TEXT    NOT NULL,
    status_class     INTEGER NOT NULL,
    requests BIGINT NOT NULL DEFAULT 0,
    failovers BIGINT NOT NULL DEFAULT 0,
    streams BIGINT NOT NULL DEFAULT 0,
    estimated BIGINT NOT NULL DEFAULT 0,
    prompt_tokens BIGINT NOT NULL DEFAULT 0,
    completion_tokens BIGINT NOT NULL DEFAULT 0,
    cached_read_tokens BIGINT NOT NULL DEFAULT 0,
    cache_write_tokens BIGINT NOT NULL DEFAULT 0,
    reasoning_tokens BIGINT NOT NULL DEFAULT 0,
    cost_micros BIGINT NOT NULL DEFAULT 0,
    cost_unknown BIGINT NOT NULL DEFAULT 0,
    latency_ms_sum BIGINT NOT NULL DEFAULT 0,
    ttft_ms_sum BIGINT NOT NULL DEFAULT 0,
    ttft_count BIGINT NOT NULL DEFAULT 0,
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
    PRIMARY KEY (bucket, public_model, channel_id, upstream_model, status_class)
);

INSERT INTO usage_route_day (bucket, public_model, channel_id, upstream_model, status_class, requests, failovers, streams, estimated, prompt_tokens, completion_tokens, cached_read_tokens, cache_write_tokens, reasoning_tokens, cost_micros, cost_unknown, latency_ms_sum, ttft_ms_sum, ttft_count, lat_h0, lat_h1, lat_h2, lat_h3, lat_h4, lat_h5, lat_h6, lat_h7, lat_h8, lat_h9, lat_h10, lat_h11, ttft_h0, ttft_h1, ttft_h2, ttft_h3, ttft_h4, ttft_h5, ttft_h6, ttft_h7, ttft_h8, ttft_h9, ttft_h10, ttft_h11)
SELECT bucket, public_model, channel_id, upstream_model, status_class, SUM(requests), SUM(failovers), SUM(streams), SUM(estimated), SUM(prompt_tokens), SUM(completion_tokens), SUM(cached_read_tokens), SUM(cache_write_tokens), SUM(reasoning_tokens), SUM(cost_micros), SUM(cost_unknown), SUM(latency_ms_sum), SUM(ttft_ms_sum), SUM(ttft_count), SUM(lat_h0), SUM(lat_h1), SUM(lat_h2), SUM(lat_h3), SUM(lat_h4), SUM(lat_h5), SUM(lat_h6), SUM(lat_h7), SUM(lat_h8), SUM(lat_h9), SUM(lat_h10), SUM(lat_h11), SUM(ttft_h0), SUM(ttft_h1), SUM(ttft_h2), SUM(ttft_h3), SUM(ttft_h4), SUM(ttft_h5), SUM(ttft_h6), SUM(ttft_h7), SUM(ttft_h8), SUM(ttft_h9), SUM(ttft_h10), SUM(ttft_h11)
FROM usage_day GROUP BY bucket, public_model, channel_id, upstream_model, status_class;

CREATE TABLE usage_account_hour (
    bucket           BIGINT  NOT NULL,
    key_id           BIGINT  NOT NULL,
    user_id          BIGINT  NOT NULL,
    team_id          BIGINT  NOT NULL,
    status_class     INTEGER NOT NULL,
    requests BIGINT NOT NULL DEFAULT 0,
    failovers BIGINT NOT NULL DEFAULT 0,
    streams BIGINT NOT NULL DEFAULT 0,
    estimated BIGINT NOT NULL DEFAULT 0,
    prompt_tokens BIGINT NOT NULL DEFAULT 0,
    completion_tokens BIGINT NOT NULL DEFAULT 0,
    cached_read_tokens BIGINT NOT NULL DEFAULT 0,
    cache_write_tokens BIGINT NOT NULL DEFAULT 0,
    reasoning_tokens BIGINT NOT NULL DEFAULT 0,
    cost_micros BIGINT NOT NULL DEFAULT 0,
    cost_unknown BIGINT NOT NULL DEFAULT 0,
    latency_ms_sum BIGINT NOT NULL DEFAULT 0,
    ttft_ms_sum BIGINT NOT NULL DEFAULT 0,
    ttft_count BIGINT NOT NULL DEFAULT 0,
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
    PRIMARY KEY (bucket, key_id, user_id, team_id, status_class)
);

INSERT INTO usage_account_hour (bucket, key_id, user_id, team_id, status_class, requests, failovers, streams, estimated, prompt_tokens, completion_tokens, cached_read_tokens, cache_write_tokens, reasoning_tokens, cost_micros, cost_unknown, latency_ms_sum, ttft_ms_sum, ttft_count, lat_h0, lat_h1, lat_h2, lat_h3, lat_h4, lat_h5, lat_h6, lat_h7, lat_h8, lat_h9, lat_h10, lat_h11, ttft_h0, ttft_h1, ttft_h2, ttft_h3, ttft_h4, ttft_h5, ttft_h6, ttft_h7, ttft_h8, ttft_h9, ttft_h10, ttft_h11)
SELECT bucket, key_id, user_id, team_id, status_class, SUM(requests), SUM(failovers), SUM(streams), SUM(estimated), SUM(prompt_tokens), SUM(completion_tokens), SUM(cached_read_tokens), SUM(cache_write_tokens), SUM(reasoning_tokens), SUM(cost_micros), SUM(cost_unknown), SUM(latency_ms_sum), SUM(ttft_ms_sum), SUM(ttft_count), SUM(lat_h0), SUM(lat_h1), SUM(lat_h2), SUM(lat_h3), SUM(lat_h4), SUM(lat_h5), SUM(lat_h6), SUM(lat_h7), SUM(lat_h8), SUM(lat_h9), SUM(lat_h10), SUM(lat_h11), SUM(ttft_h0), SUM(ttft_h1), SUM(ttft_h2), SUM(ttft_h3), SUM(ttft_h4), SUM(ttft_h5), SUM(ttft_h6), SUM(ttft_h7), SUM(ttft_h8), SUM(ttft_h9), SUM(ttft_h10), SUM(ttft_h11)
FROM usage_hour GROUP BY bucket, key_id, user_id, team_id, status_class;

CREATE TABLE usage_account_day (
    bucket           BIGINT  NOT NULL,
    key_id           BIGINT  NOT NULL,
    user_id          BIGINT  NOT NULL,
    team_id          BIGINT  NOT NULL,
    status_class     INTEGER NOT NULL,
    requests BIGINT NOT NULL DEFAULT 0,
    failovers BIGINT NOT NULL DEFAULT 0,
    streams BIGINT NOT NULL DEFAULT 0,
    estimated BIGINT NOT NULL DEFAULT 0,
    prompt_tokens BIGINT NOT NULL DEFAULT 0,
    completion_tokens BIGINT NOT NULL DEFAULT 0,
    cached_read_tokens BIGINT NOT NULL DEFAULT 0,
    cache_write_tokens BIGINT NOT NULL DEFAULT 0,
    reasoning_tokens BIGINT NOT NULL DEFAULT 0,
    cost_micros BIGINT NOT NULL DEFAULT 0,
    cost_unknown BIGINT NOT NULL DEFAULT 0,
    latency_ms_sum BIGINT NOT NULL DEFAULT 0,
    ttft_ms_sum BIGINT NOT NULL DEFAULT 0,
    ttft_count BIGINT NOT NULL DEFAULT 0,
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
    PRIMARY KEY (bucket, key_id, user_id, team_id, status_class)
);

INSERT INTO usage_account_day (bucket, key_id, user_id, team_id, status_class, requests, failovers, streams, estimated, prompt_tokens, completion_tokens, cached_read_tokens, cache_write_tokens, reasoning_tokens, cost_micros, cost_unknown, latency_ms_sum, ttft_ms_sum, ttft_count, lat_h0, lat_h1, lat_h2, lat_h3, lat_h4, lat_h5, lat_h6, lat_h7, lat_h8, lat_h9, lat_h10, lat_h11, ttft_h0, ttft_h1, ttft_h2, ttft_h3, ttft_h4, ttft_h5, ttft_h6, ttft_h7, ttft_h8, ttft_h9, ttft_h10, ttft_h11)
SELECT bucket, key_id, user_id, team_id, status_class, SUM(requests), SUM(failovers), SUM(streams), SUM(estimated), SUM(prompt_tokens), SUM(completion_tokens), SUM(cached_read_tokens), SUM(cache_write_tokens), SUM(reasoning_tokens), SUM(cost_micros), SUM(cost_unknown), SUM(latency_ms_sum), SUM(ttft_ms_sum), SUM(ttft_count), SUM(lat_h0), SUM(lat_h1), SUM(lat_h2), SUM(lat_h3), SUM(lat_h4), SUM(lat_h5), SUM(lat_h6), SUM(lat_h7), SUM(lat_h8), SUM(lat_h9), SUM(lat_h10), SUM(lat_h11), SUM(ttft_h0), SUM(ttft_h1), SUM(ttft_h2), SUM(ttft_h3), SUM(ttft_h4), SUM(ttft_h5), SUM(ttft_h6), SUM(ttft_h7), SUM(ttft_h8), SUM(ttft_h9), SUM(ttft_h10), SUM(ttft_h11)
FROM usage_day GROUP BY bucket, key_id, user_id, team_id, status_class;

CREATE INDEX usage_hour_key_bucket ON usage_hour (key_id, bucket);
CREATE INDEX usage_hour_user_bucket ON usage_hour (user_id, bucket);
CREATE INDEX usage_hour_team_bucket ON usage_hour (team_id, bucket);
CREATE INDEX usage_day_key_bucket ON usage_day (key_id, bucket);
CREATE INDEX usage_day_user_bucket ON usage_day (user_id, bucket);
CREATE INDEX usage_day_team_bucket ON usage_day (team_id, bucket);
