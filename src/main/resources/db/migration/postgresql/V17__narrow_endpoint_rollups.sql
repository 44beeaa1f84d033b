-- A narrow endpoint rollup for the Overview (issue 17: every page under 300 ms at 1 M usage rows).
--
-- The endpoint rollups (V11, V16) keep every dimension (bucket, endpoint, unit, key, user, team,
-- model, channel, upstream model, status class): a 30-day view of them reads about as many rows as
-- the full rollups (~83k at 1 M requests), and the Overview reads them three times (per endpoint,
-- top by endpoint, series by endpoint). Two narrow tables in hour and day grains hold the same sums
-- by (bucket, endpoint, unit, status class) only, so their size is set by how many endpoints there
-- are, never by the number of requests:
--   usage_endpoint_narrow_hour / usage_endpoint_narrow_day
-- UsageStats reads them when a query filters and groups by none of key, user, team, model, channel
-- and upstream model; else the full endpoint tables, as before. Minutes have only the full table (a
-- minute view spans at most hours). The writer keeps them in the same transaction as the raw rows
-- (usage.EndpointRollups); the endpoint rollups already kept are folded into them here.

CREATE TABLE usage_endpoint_narrow_hour (
    bucket           BIGINT  NOT NULL,
    endpoint         TEXT    NOT NULL,
    unit             TEXT    NOT NULL,
    status_class     INTEGER NOT NULL,
    requests BIGINT NOT NULL DEFAULT 0,
    units BIGINT NOT NULL DEFAULT 0,
    units_estimated BIGINT NOT NULL DEFAULT 0,
    prompt_tokens BIGINT NOT NULL DEFAULT 0,
    completion_tokens BIGINT NOT NULL DEFAULT 0,
    cost_micros BIGINT NOT NULL DEFAULT 0,
    cost_unknown BIGINT NOT NULL DEFAULT 0,
    failovers BIGINT NOT NULL DEFAULT 0,
    streams BIGINT NOT NULL DEFAULT 0,
    estimated BIGINT NOT NULL DEFAULT 0,
    cached_read_tokens BIGINT NOT NULL DEFAULT 0,
    cache_write_tokens BIGINT NOT NULL DEFAULT 0,
    reasoning_tokens BIGINT NOT NULL DEFAULT 0,
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
    PRIMARY KEY (bucket, endpoint, unit, status_class)
);

INSERT INTO usage_endpoint_narrow_hour (bucket, endpoint, unit, status_class, requests, units, units_estimated, prompt_tokens, completion_tokens, cost_micros, cost_unknown, failovers, streams, estimated, cached_read_tokens, cache_write_tokens, reasoning_tokens, latency_ms_sum, ttft_ms_sum, ttft_count, lat_h0, lat_h1, lat_h2, lat_h3, lat_h4, lat_h5, lat_h6, lat_h7, lat_h8, lat_h9, lat_h10, lat_h11, ttft_h0, ttft_h1, ttft_h2, ttft_h3, ttft_h4, ttft_h5, ttft_h6, ttft_h7, ttft_h8, ttft_h9, ttft_h10, ttft_h11)
SELECT bucket, endpoint, unit, status_class, SUM(requests), SUM(units), SUM(units_estimated), SUM(prompt_tokens), SUM(completion_tokens), SUM(cost_micros), SUM(cost_unknown), SUM(failovers), SUM(streams), SUM(estimated), SUM(cached_read_tokens), SUM(cache_write_tokens), SUM(reasoning_tokens), SUM(latency_ms_sum), SUM(ttft_ms_sum), SUM(ttft_count), SUM(lat_h0), SUM(lat_h1), SUM(lat_h2), SUM(lat_h3), SUM(lat_h4), SUM(lat_h5), SUM(lat_h6), SUM(lat_h7), SUM(lat_h8), SUM(lat_h9), SUM(lat_h10), SUM(lat_h11), SUM(ttft_h0), SUM(ttft_h1), SUM(ttft_h2), SUM(ttft_h3), SUM(ttft_h4), SUM(ttft_h5), SUM(ttft_h6), SUM(ttft_h7), SUM(ttft_h8), SUM(ttft_h9), SUM(ttft_h10), SUM(ttft_h11)
FROM usage_endpoint_hour GROUP BY bucket, endpoint, unit, status_class ORDER BY bucket;

CREATE TABLE usage_endpoint_narrow_day (
    bucket           BIGINT  NOT NULL,
    endpoint         TEXT    NOT NULL,
    unit             TEXT    NOT NULL,
    status_class     INTEGER NOT NULL,
    requests BIGINT NOT NULL DEFAULT 0,
    units BIGINT NOT NULL DEFAULT 0,
    units_estimated BIGINT NOT NULL DEFAULT 0,
    prompt_tokens BIGINT NOT NULL DEFAULT 0,
    completion_tokens BIGINT NOT NULL DEFAULT 0,
    cost_micros BIGINT NOT NULL DEFAULT 0,
    cost_unknown BIGINT NOT NULL DEFAULT 0,
    failovers BIGINT NOT NULL DEFAULT 0,
    streams BIGINT NOT NULL DEFAULT 0,
    estimated BIGINT NOT NULL DEFAULT 0,
    cached_read_tokens BIGINT NOT NULL DEFAULT 0,
    cache_write_tokens BIGINT NOT NULL DEFAULT 0,
    reasoning_tokens BIGINT NOT NULL DEFAULT 0,
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
    PRIMARY KEY (bucket, endpoint, unit, status_class)
);

INSERT INTO usage_endpoint_narrow_day (bucket, endpoint, unit, status_class, requests, units, units_estimated, prompt_tokens, completion_tokens, cost_micros, cost_unknown, failovers, streams, estimated, cached_read_tokens, cache_write_tokens, reasoning_tokens, latency_ms_sum, ttft_ms_sum, ttft_count, lat_h0, lat_h1, lat_h2, lat_h3, lat_h4, lat_h5, lat_h6, lat_h7, lat_h8, lat_h9, lat_h10, lat_h11, ttft_h0, ttft_h1, ttft_h2, ttft_h3, ttft_h4, ttft_h5, ttft_h6, ttft_h7, ttft_h8, ttft_h9, ttft_h10, ttft_h11)
SELECT bucket, endpoint, unit, status_class, SUM(requests), SUM(units), SUM(units_estimated), SUM(prompt_tokens), SUM(completion_tokens), SUM(cost_micros), SUM(cost_unknown), SUM(failovers), SUM(streams), SUM(estimated), SUM(cached_read_tokens), SUM(cache_write_tokens), SUM(reasoning_tokens), SUM(latency_ms_sum), SUM(ttft_ms_sum), SUM(ttft_count), SUM(lat_h0), SUM(lat_h1), SUM(lat_h2), SUM(lat_h3), SUM(lat_h4), SUM(lat_h5), SUM(lat_h6), SUM(lat_h7), SUM(lat_h8), SUM(lat_h9), SUM(lat_h10), SUM(lat_h11), SUM(ttft_h0), SUM(ttft_h1), SUM(ttft_h2), SUM(ttft_h3), SUM(ttft_h4), SUM(ttft_h5), SUM(ttft_h6), SUM(ttft_h7), SUM(ttft_h8), SUM(ttft_h9), SUM(ttft_h10), SUM(ttft_h11)
FROM usage_endpoint_day GROUP BY bucket, endpoint, unit, status_class ORDER BY bucket;
