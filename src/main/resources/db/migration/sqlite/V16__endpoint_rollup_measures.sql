-- Per-endpoint rollups with every measure of the other rollups (issue 20: the stats API's top and
-- series by=endpoint, read from usage_endpoint_minute/hour/day like the other breakdowns).
--
-- V11's endpoint rollups kept requests, units, tokens in and out and cost; a breakdown by endpoint
-- also shows failovers, streams, estimated tokens, cached and reasoning tokens, latency and time to
-- first token (sums and the log-scale histograms of usage.Histogram). The writer keeps them from now
-- on (usage.EndpointRollups); the rows already rolled up get them from the raw rows still kept
-- (rows past usage.keep_raw are gone, so their endpoint rollups keep 0 for the new measures).

ALTER TABLE usage_endpoint_minute ADD COLUMN failovers BIGINT NOT NULL DEFAULT 0;
ALTER TABLE usage_endpoint_minute ADD COLUMN streams BIGINT NOT NULL DEFAULT 0;
ALTER TABLE usage_endpoint_minute ADD COLUMN estimated BIGINT NOT NULL DEFAULT 0;
ALTER TABLE usage_endpoint_minute ADD COLUMN cached_read_tokens BIGINT NOT NULL DEFAULT 0;
ALTER TABLE usage_endpoint_minute ADD COLUMN cache_write_tokens BIGINT NOT NULL DEFAULT 0;
ALTER TABLE usage_endpoint_minute ADD COLUMN reasoning_tokens BIGINT NOT NULL DEFAULT 0;
ALTER TABLE usage_endpoint_minute ADD COLUMN latency_ms_sum BIGINT NOT NULL DEFAULT 0;
ALTER TABLE usage_endpoint_minute ADD COLUMN ttft_ms_sum BIGINT NOT NULL DEFAULT 0;
ALTER TABLE usage_endpoint_minute ADD COLUMN ttft_count BIGINT NOT NULL DEFAULT 0;
ALTER TABLE usage_endpoint_minute ADD COLUMN lat_h0 BIGINT NOT NULL DEFAULT 0;
ALTER TABLE usage_endpoint_minute ADD COLUMN lat_h1 BIGINT NOT NULL DEFAULT 0;
ALTER TABLE usage_endpoint_minute ADD COLUMN lat_h2 BIGINT NOT NULL DEFAULT 0;
ALTER TABLE usage_endpoint_minute ADD COLUMN lat_h3 BIGINT NOT NULL DEFAULT 0;
ALTER TABLE usage_endpoint_minute ADD COLUMN lat_h4 BIGINT NOT NULL DEFAULT 0;
ALTER TABLE usage_endpoint_minute ADD COLUMN lat_h5 BIGINT NOT NULL DEFAULT 0;
ALTER TABLE usage_endpoint_minute ADD COLUMN lat_h6 BIGINT NOT NULL DEFAULT 0;
ALTER TABLE usage_endpoint_minute ADD COLUMN lat_h7 BIGINT NOT NULL DEFAULT 0;
ALTER TABLE usage_endpoint_minute ADD COLUMN lat_h8 BIGINT NOT NULL DEFAULT 0;
ALTER TABLE usage_endpoint_minute ADD COLUMN lat_h9 BIGINT NOT NULL DEFAULT 0;
ALTER TABLE usage_endpoint_minute ADD COLUMN lat_h10 BIGINT NOT NULL DEFAULT 0;
ALTER TABLE usage_endpoint_minute ADD COLUMN lat_h11 BIGINT NOT NULL DEFAULT 0;
ALTER TABLE usage_endpoint_minute ADD COLUMN ttft_h0 BIGINT NOT NULL DEFAULT 0;
ALTER TABLE usage_endpoint_minute ADD COLUMN ttft_h1 BIGINT NOT NULL DEFAULT 0;
ALTER TABLE usage_endpoint_minute ADD COLUMN ttft_h2 BIGINT NOT NULL DEFAULT 0;
ALTER TABLE usage_endpoint_minute ADD COLUMN ttft_h3 BIGINT NOT NULL DEFAULT 0;
ALTER TABLE usage_endpoint_minute ADD COLUMN ttft_h4 BIGINT NOT NULL DEFAULT 0;
ALTER TABLE usage_endpoint_minute ADD COLUMN ttft_h5 BIGINT NOT NULL DEFAULT 0;
ALTER TABLE usage_endpoint_minute ADD COLUMN ttft_h6 BIGINT NOT NULL DEFAULT 0;
ALTER TABLE usage_endpoint_minute ADD COLUMN ttft_h7 BIGINT NOT NULL DEFAULT 0;
ALTER TABLE usage_endpoint_minute ADD COLUMN ttft_h8 BIGINT NOT NULL DEFAULT 0;
ALTER TABLE usage_endpoint_minute ADD COLUMN ttft_h9 BIGINT NOT NULL DEFAULT 0;
ALTER TABLE usage_endpoint_minute ADD COLUMN ttft_h10 BIGINT NOT NULL DEFAULT 0;
ALTER TABLE usage_endpoint_minute ADD COLUMN ttft_h11 BIGINT NOT NULL DEFAULT 0;

ALTER TABLE usage_endpoint_hour ADD COLUMN failovers BIGINT NOT NULL DEFAULT 0;
ALTER TABLE usage_endpoint_hour ADD COLUMN streams BIGINT NOT NULL DEFAULT 0;
ALTER TABLE usage_endpoint_hour ADD COLUMN estimated BIGINT NOT NULL DEFAULT 0;
ALTER TABLE usage_endpoint_hour ADD COLUMN cached_read_tokens BIGINT NOT NULL DEFAULT 0;
ALTER TABLE usage_endpoint_hour ADD COLUMN cache_write_tokens BIGINT NOT NULL DEFAULT 0;
ALTER TABLE usage_endpoint_hour ADD COLUMN reasoning_tokens BIGINT NOT NULL DEFAULT 0;
ALTER TABLE usage_endpoint_hour ADD COLUMN latency_ms_sum BIGINT NOT NULL DEFAULT 0;
ALTER TABLE usage_endpoint_hour ADD COLUMN ttft_ms_sum BIGINT NOT NULL DEFAULT 0;
ALTER TABLE usage_endpoint_hour ADD COLUMN ttft_count BIGINT NOT NULL DEFAULT 0;
ALTER TABLE usage_endpoint_hour ADD COLUMN lat_h0 BIGINT NOT NULL DEFAULT 0;
ALTER TABLE usage_endpoint_hour ADD COLUMN lat_h1 BIGINT NOT NULL DEFAULT 0;
ALTER TABLE usage_endpoint_hour ADD COLUMN lat_h2 BIGINT NOT NULL DEFAULT 0;
ALTER TABLE usage_endpoint_hour ADD COLUMN lat_h3 BIGINT NOT NULL DEFAULT 0;
ALTER TABLE usage_endpoint_hour ADD COLUMN lat_h4 BIGINT NOT NULL DEFAULT 0;
ALTER TABLE usage_endpoint_hour ADD COLUMN lat_h5 BIGINT NOT NULL DEFAULT 0;
ALTER TABLE usage_endpoint_hour ADD COLUMN lat_h6 BIGINT NOT NULL DEFAULT 0;
ALTER TABLE usage_endpoint_hour ADD COLUMN lat_h7 BIGINT NOT NULL DEFAULT 0;
ALTER TABLE usage_endpoint_hour ADD COLUMN lat_h8 BIGINT NOT NULL DEFAULT 0;
ALTER TABLE usage_endpoint_hour ADD COLUMN lat_h9 BIGINT NOT NULL DEFAULT 0;
ALTER TABLE usage_endpoint_hour ADD COLUMN lat_h10 BIGINT NOT NULL DEFAULT 0;
ALTER TABLE usage_endpoint_hour ADD COLUMN lat_h11 BIGINT NOT NULL DEFAULT 0;
ALTER TABLE usage_endpoint_hour ADD COLUMN ttft_h0 BIGINT NOT NULL DEFAULT 0;
ALTER TABLE usage_endpoint_hour ADD COLUMN ttft_h1 BIGINT NOT NULL DEFAULT 0;
ALTER TABLE usage_endpoint_hour ADD COLUMN ttft_h2 BIGINT NOT NULL DEFAULT 0;
ALTER TABLE usage_endpoint_hour ADD COLUMN ttft_h3 BIGINT NOT NULL DEFAULT 0;
ALTER TABLE usage_endpoint_hour ADD COLUMN ttft_h4 BIGINT NOT NULL DEFAULT 0;
ALTER TABLE usage_endpoint_hour ADD COLUMN ttft_h5 BIGINT NOT NULL DEFAULT 0;
ALTER TABLE usage_endpoint_hour ADD COLUMN ttft_h6 BIGINT NOT NULL DEFAULT 0;
ALTER TABLE usage_endpoint_hour ADD COLUMN ttft_h7 BIGINT NOT NULL DEFAULT 0;
ALTER TABLE usage_endpoint_hour ADD COLUMN ttft_h8 BIGINT NOT NULL DEFAULT 0;
ALTER TABLE usage_endpoint_hour ADD COLUMN ttft_h9 BIGINT NOT NULL DEFAULT 0;
ALTER TABLE usage_endpoint_hour ADD COLUMN ttft_h10 BIGINT NOT NULL DEFAULT 0;
ALTER TABLE usage_endpoint_hour ADD COLUMN ttft_h11 BIGINT NOT NULL DEFAULT 0;

ALTER TABLE usage_endpoint_day ADD COLUMN failovers BIGINT NOT NULL DEFAULT 0;
ALTER TABLE usage_endpoint_day ADD COLUMN streams BIGINT NOT NULL DEFAULT 0;
ALTER TABLE usage_endpoint_day ADD COLUMN estimated BIGINT NOT NULL DEFAULT 0;
ALTER TABLE usage_endpoint_day ADD COLUMN cached_read_tokens BIGINT NOT NULL DEFAULT 0;
ALTER TABLE usage_endpoint_day ADD COLUMN cache_write_tokens BIGINT NOT NULL DEFAULT 0;
ALTER TABLE usage_endpoint_day ADD COLUMN reasoning_tokens BIGINT NOT NULL DEFAULT 0;
ALTER TABLE usage_endpoint_day ADD COLUMN latency_ms_sum BIGINT NOT NULL DEFAULT 0;
ALTER TABLE usage_endpoint_day ADD COLUMN ttft_ms_sum BIGINT NOT NULL DEFAULT 0;
ALTER TABLE usage_endpoint_day ADD COLUMN ttft_count BIGINT NOT NULL DEFAULT 0;
ALTER TABLE usage_endpoint_day ADD COLUMN lat_h0 BIGINT NOT NULL DEFAULT 0;
ALTER TABLE usage_endpoint_day ADD COLUMN lat_h1 BIGINT NOT NULL DEFAULT 0;
ALTER TABLE usage_endpoint_day ADD COLUMN lat_h2 BIGINT NOT NULL DEFAULT 0;
ALTER TABLE usage_endpoint_day ADD COLUMN lat_h3 BIGINT NOT NULL DEFAULT 0;
ALTER TABLE usage_endpoint_day ADD COLUMN lat_h4 BIGINT NOT NULL DEFAULT 0;
ALTER TABLE usage_endpoint_day ADD COLUMN lat_h5 BIGINT NOT NULL DEFAULT 0;
ALTER TABLE usage_endpoint_day ADD COLUMN lat_h6 BIGINT NOT NULL DEFAULT 0;
ALTER TABLE usage_endpoint_day ADD COLUMN lat_h7 BIGINT NOT NULL DEFAULT 0;
ALTER TABLE usage_endpoint_day ADD COLUMN lat_h8 BIGINT NOT NULL DEFAULT 0;
ALTER TABLE usage_endpoint_day ADD COLUMN lat_h9 BIGINT NOT NULL DEFAULT 0;
ALTER TABLE usage_endpoint_day ADD COLUMN lat_h10 BIGINT NOT NULL DEFAULT 0;
ALTER TABLE usage_endpoint_day ADD COLUMN lat_h11 BIGINT NOT NULL DEFAULT 0;
ALTER TABLE usage_endpoint_day ADD COLUMN ttft_h0 BIGINT NOT NULL DEFAULT 0;
ALTER TABLE usage_endpoint_day ADD COLUMN ttft_h1 BIGINT NOT NULL DEFAULT 0;
ALTER TABLE usage_endpoint_day ADD COLUMN ttft_h2 BIGINT NOT NULL DEFAULT 0;
ALTER TABLE usage_endpoint_day ADD COLUMN ttft_h3 BIGINT NOT NULL DEFAULT 0;
ALTER TABLE usage_endpoint_day ADD COLUMN ttft_h4 BIGINT NOT NULL DEFAULT 0;
ALTER TABLE usage_endpoint_day ADD COLUMN ttft_h5 BIGINT NOT NULL DEFAULT 0;
ALTER TABLE usage_endpoint_day ADD COLUMN ttft_h6 BIGINT NOT NULL DEFAULT 0;
ALTER TABLE usage_endpoint_day ADD COLUMN ttft_h7 BIGINT NOT NULL DEFAULT 0;
ALTER TABLE usage_endpoint_day ADD COLUMN ttft_h8 BIGINT NOT NULL DEFAULT 0;
ALTER TABLE usage_endpoint_day ADD COLUMN ttft_h9 BIGINT NOT NULL DEFAULT 0;
ALTER TABLE usage_endpoint_day ADD COLUMN ttft_h10 BIGINT NOT NULL DEFAULT 0;
ALTER TABLE usage_endpoint_day ADD COLUMN ttft_h11 BIGINT NOT NULL DEFAULT 0;

UPDATE usage_endpoint_minute SET
    failovers = s.failovers,
    streams = s.streams,
    estimated = s.estimated,
    cached_read_tokens = s.cached_read_tokens,
    cache_write_tokens = s.cache_write_tokens,
    reasoning_tokens = s.reasoning_tokens,
    latency_ms_sum = s.latency_ms_sum,
    ttft_ms_sum = s.ttft_ms_sum,
    ttft_count = s.ttft_count,
    lat_h0 = s.lat_h0,
    lat_h1 = s.lat_h1,
    lat_h2 = s.lat_h2,
    lat_h3 = s.lat_h3,
    lat_h4 = s.lat_h4,
    lat_h5 = s.lat_h5,
    lat_h6 = s.lat_h6,
    lat_h7 = s.lat_h7,
    lat_h8 = s.lat_h8,
    lat_h9 = s.lat_h9,
    lat_h10 = s.lat_h10,
    lat_h11 = s.lat_h11,
    ttft_h0 = s.ttft_h0,
    ttft_h1 = s.ttft_h1,
    ttft_h2 = s.ttft_h2,
    ttft_h3 = s.ttft_h3,
    ttft_h4 = s.ttft_h4,
    ttft_h5 = s.ttft_h5,
    ttft_h6 = s.ttft_h6,
    ttft_h7 = s.ttft_h7,
    ttft_h8 = s.ttft_h8,
    ttft_h9 = s.ttft_h9,
    ttft_h10 = s.ttft_h10,
    ttft_h11 = s.ttft_h11
FROM (SELECT (ts / 60000) * 60000 AS bucket,
        endpoint AS endpoint,
        unit AS unit,
        COALESCE(key_id, 0) AS key_id,
        COALESCE(user_id, 0) AS user_id,
        COALESCE(team_id, 0) AS team_id,
        COALESCE(public_model, '') AS public_model,
        COALESCE(channel_id, 0) AS channel_id,
        COALESCE(upstream_model, '') AS upstream_model,
        CASE WHEN status < 200 OR status >= 500 THEN 5 WHEN status >= 400 THEN 4 WHEN status >= 300 THEN 3 ELSE 2 END AS status_class,
        SUM(CASE WHEN json_array_length(attempts) > 1 THEN 1 ELSE 0 END) AS failovers,
        SUM(CASE WHEN stream <> 0 THEN 1 ELSE 0 END) AS streams,
        SUM(CASE WHEN token_source = 'estimated' THEN 1 ELSE 0 END) AS estimated,
        SUM(cached_read_tokens) AS cached_read_tokens,
        SUM(cache_write_tokens) AS cache_write_tokens,
        SUM(reasoning_tokens) AS reasoning_tokens,
        SUM(latency_ms) AS latency_ms_sum,
        SUM(COALESCE(first_byte_ms, 0)) AS ttft_ms_sum,
        SUM(CASE WHEN first_byte_ms IS NOT NULL THEN 1 ELSE 0 END) AS ttft_count,
        SUM(CASE WHEN latency_ms <= 50 THEN 1 ELSE 0 END) AS lat_h0,
        SUM(CASE WHEN latency_ms > 50 AND latency_ms <= 100 THEN 1 ELSE 0 END) AS lat_h1,
        SUM(CASE WHEN latency_ms > 100 AND latency_ms <= 200 THEN 1 ELSE 0 END) AS lat_h2,
        SUM(CASE WHEN latency_ms > 200 AND latency_ms <= 400 THEN 1 ELSE 0 END) AS lat_h3,
        SUM(CASE WHEN latency_ms > 400 AND latency_ms <= 800 THEN 1 ELSE 0 END) AS lat_h4,
        SUM(CASE WHEN latency_ms > 800 AND latency_ms <= 1600 THEN 1 ELSE 0 END) AS lat_h5,
        SUM(CASE WHEN latency_ms > 1600 AND latency_ms <= 3200 THEN 1 ELSE 0 END) AS lat_h6,
        SUM(CASE WHEN latency_ms > 3200 AND latency_ms <= 6400 THEN 1 ELSE 0 END) AS lat_h7,
        SUM(CASE WHEN latency_ms > 6400 AND latency_ms <= 12800 THEN 1 ELSE 0 END) AS lat_h8,
        SUM(CASE WHEN latency_ms > 12800 AND latency_ms <= 25600 THEN 1 ELSE 0 END) AS lat_h9,
        SUM(CASE WHEN latency_ms > 25600 AND latency_ms <= 51200 THEN 1 ELSE 0 END) AS lat_h10,
        SUM(CASE WHEN latency_ms > 51200 THEN 1 ELSE 0 END) AS lat_h11,
        SUM(CASE WHEN first_byte_ms IS NOT NULL AND first_byte_ms <= 50 THEN 1 ELSE 0 END) AS ttft_h0,
        SUM(CASE WHEN first_byte_ms IS NOT NULL AND first_byte_ms > 50 AND first_byte_ms <= 100 THEN 1 ELSE 0 END) AS ttft_h1,
        SUM(CASE WHEN first_byte_ms IS NOT NULL AND first_byte_ms > 100 AND first_byte_ms <= 200 THEN 1 ELSE 0 END) AS ttft_h2,
        SUM(CASE WHEN first_byte_ms IS NOT NULL AND first_byte_ms > 200 AND first_byte_ms <= 400 THEN 1 ELSE 0 END) AS ttft_h3,
        SUM(CASE WHEN first_byte_ms IS NOT NULL AND first_byte_ms > 400 AND first_byte_ms <= 800 THEN 1 ELSE 0 END) AS ttft_h4,
        SUM(CASE WHEN first_byte_ms IS NOT NULL AND first_byte_ms > 800 AND first_byte_ms <= 1600 THEN 1 ELSE 0 END) AS ttft_h5,
        SUM(CASE WHEN first_byte_ms IS NOT NULL AND first_byte_ms > 1600 AND first_byte_ms <= 3200 THEN 1 ELSE 0 END) AS ttft_h6,
        SUM(CASE WHEN first_byte_ms IS NOT NULL AND first_byte_ms > 3200 AND first_byte_ms <= 6400 THEN 1 ELSE 0 END) AS ttft_h7,
        SUM(CASE WHEN first_byte_ms IS NOT NULL AND first_byte_ms > 6400 AND first_byte_ms <= 12800 THEN 1 ELSE 0 END) AS ttft_h8,
        SUM(CASE WHEN first_byte_ms IS NOT NULL AND first_byte_ms > 12800 AND first_byte_ms <= 25600 THEN 1 ELSE 0 END) AS ttft_h9,
        SUM(CASE WHEN first_byte_ms IS NOT NULL AND first_byte_ms > 25600 AND first_byte_ms <= 51200 THEN 1 ELSE 0 END) AS ttft_h10,
        SUM(CASE WHEN first_byte_ms IS NOT NULL AND first_byte_ms > 51200 THEN 1 ELSE 0 END) AS ttft_h11
    FROM usage WHERE endpoint IS NOT NULL
    GROUP BY (ts / 60000) * 60000, endpoint, unit, COALESCE(key_id, 0), COALESCE(user_id, 0), COALESCE(team_id, 0), COALESCE(public_model, ''), COALESCE(channel_id, 0), COALESCE(upstream_model, ''), CASE WHEN status < 200 OR status >= 500 THEN 5 WHEN status >= 400 THEN 4 WHEN status >= 300 THEN 3 ELSE 2 END) AS s
WHERE usage_endpoint_minute.bucket = s.bucket AND usage_endpoint_minute.endpoint = s.endpoint AND usage_endpoint_minute.unit = s.unit AND usage_endpoint_minute.key_id = s.key_id AND usage_endpoint_minute.user_id = s.user_id AND usage_endpoint_minute.team_id = s.team_id AND usage_endpoint_minute.public_model = s.public_model AND usage_endpoint_minute.channel_id = s.channel_id AND usage_endpoint_minute.upstream_model = s.upstream_model AND usage_endpoint_minute.status_class = s.status_class;

UPDATE usage_endpoint_hour SET
    failovers = s.failovers,
    streams = s.streams,
    estimated = s.estimated,
    cached_read_tokens = s.cached_read_tokens,
    cache_write_tokens = s.cache_write_tokens,
    reasoning_tokens = s.reasoning_tokens,
    latency_ms_sum = s.latency_ms_sum,
    ttft_ms_sum = s.ttft_ms_sum,
    ttft_count = s.ttft_count,
    lat_h0 = s.lat_h0,
    lat_h1 = s.lat_h1,
    lat_h2 = s.lat_h2,
    lat_h3 = s.lat_h3,
    lat_h4 = s.lat_h4,
    lat_h5 = s.lat_h5,
    lat_h6 = s.lat_h6,
    lat_h7 = s.lat_h7,
    lat_h8 = s.lat_h8,
    lat_h9 = s.lat_h9,
    lat_h10 = s.lat_h10,
    lat_h11 = s.lat_h11,
    ttft_h0 = s.ttft_h0,
    ttft_h1 = s.ttft_h1,
    ttft_h2 = s.ttft_h2,
    ttft_h3 = s.ttft_h3,
    ttft_h4 = s.ttft_h4,
    ttft_h5 = s.ttft_h5,
    ttft_h6 = s.ttft_h6,
    ttft_h7 = s.ttft_h7,
    ttft_h8 = s.ttft_h8,
    ttft_h9 = s.ttft_h9,
    ttft_h10 = s.ttft_h10,
    ttft_h11 = s.ttft_h11
FROM (SELECT (ts / 3600000) * 3600000 AS bucket,
        endpoint AS endpoint,
        unit AS unit,
        COALESCE(key_id, 0) AS key_id,
        COALESCE(user_id, 0) AS user_id,
        COALESCE(team_id, 0) AS team_id,
        COALESCE(public_model, '') AS public_model,
        COALESCE(channel_id, 0) AS channel_id,
        COALESCE(upstream_model, '') AS upstream_model,
        CASE WHEN status < 200 OR status >= 500 THEN 5 WHEN status >= 400 THEN 4 WHEN status >= 300 THEN 3 ELSE 2 END AS status_class,
        SUM(CASE WHEN json_array_length(attempts) > 1 THEN 1 ELSE 0 END) AS failovers,
        SUM(CASE WHEN stream <> 0 THEN 1 ELSE 0 END) AS streams,
        SUM(CASE WHEN token_source = 'estimated' THEN 1 ELSE 0 END) AS estimated,
        SUM(cached_read_tokens) AS cached_read_tokens,
        SUM(cache_write_tokens) AS cache_write_tokens,
        SUM(reasoning_tokens) AS reasoning_tokens,
        SUM(latency_ms) AS latency_ms_sum,
        SUM(COALESCE(first_byte_ms, 0)) AS ttft_ms_sum,
        SUM(CASE WHEN first_byte_ms IS NOT NULL THEN 1 ELSE 0 END) AS ttft_count,
        SUM(CASE WHEN latency_ms <= 50 THEN 1 ELSE 0 END) AS lat_h0,
        SUM(CASE WHEN latency_ms > 50 AND latency_ms <= 100 THEN 1 ELSE 0 END) AS lat_h1,
        SUM(CASE WHEN latency_ms > 100 AND latency_ms <= 200 THEN 1 ELSE 0 END) AS lat_h2,
        SUM(CASE WHEN latency_ms > 200 AND latency_ms <= 400 THEN 1 ELSE 0 END) AS lat_h3,
        SUM(CASE WHEN latency_ms > 400 AND latency_ms <= 800 THEN 1 ELSE 0 END) AS lat_h4,
        SUM(CASE WHEN latency_ms > 800 AND latency_ms <= 1600 THEN 1 ELSE 0 END) AS lat_h5,
        SUM(CASE WHEN latency_ms > 1600 AND latency_ms <= 3200 THEN 1 ELSE 0 END) AS lat_h6,
        SUM(CASE WHEN latency_ms > 3200 AND latency_ms <= 6400 THEN 1 ELSE 0 END) AS lat_h7,
        SUM(CASE WHEN latency_ms > 6400 AND latency_ms <= 12800 THEN 1 ELSE 0 END) AS lat_h8,
        SUM(CASE WHEN latency_ms > 12800 AND latency_ms <= 25600 THEN 1 ELSE 0 END) AS lat_h9,
        SUM(CASE WHEN latency_ms > 25600 AND latency_ms <= 51200 THEN 1 ELSE 0 END) AS lat_h10,
        SUM(CASE WHEN latency_ms > 51200 THEN 1 ELSE 0 END) AS lat_h11,
        SUM(CASE WHEN first_byte_ms IS NOT NULL AND first_byte_ms <= 50 THEN 1 ELSE 0 END) AS ttft_h0,
        SUM(CASE WHEN first_byte_ms IS NOT NULL AND first_byte_ms > 50 AND first_byte_ms <= 100 THEN 1 ELSE 0 END) AS ttft_h1,
        SUM(CASE WHEN first_byte_ms IS NOT NULL AND first_byte_ms > 100 AND first_byte_ms <= 200 THEN 1 ELSE 0 END) AS ttft_h2,
        SUM(CASE WHEN first_byte_ms IS NOT NULL AND first_byte_ms > 200 AND first_byte_ms <= 400 THEN 1 ELSE 0 END) AS ttft_h3,
        SUM(CASE WHEN first_byte_ms IS NOT NULL AND first_byte_ms > 400 AND first_byte_ms <= 800 THEN 1 ELSE 0 END) AS ttft_h4,
        SUM(CASE WHEN first_byte_ms IS NOT NULL AND first_byte_ms > 800 AND first_byte_ms <= 1600 THEN 1 ELSE 0 END) AS ttft_h5,
        SUM(CASE WHEN first_byte_ms IS NOT NULL AND first_byte_ms > 1600 AND first_byte_ms <= 3200 THEN 1 ELSE 0 END) AS ttft_h6,
        SUM(CASE WHEN first_byte_ms IS NOT NULL AND first_byte_ms > 3200 AND first_byte_ms <= 6400 THEN 1 ELSE 0 END) AS ttft_h7,
        SUM(CASE WHEN first_byte_ms IS NOT NULL AND first_byte_ms > 6400 AND first_byte_ms <= 12800 THEN 1 ELSE 0 END) AS ttft_h8,
        SUM(CASE WHEN first_byte_ms IS NOT NULL AND first_byte_ms > 12800 AND first_byte_ms <= 25600 THEN 1 ELSE 0 END) AS ttft_h9,
        SUM(CASE WHEN first_byte_ms IS NOT NULL AND first_byte_ms > 25600 AND first_byte_ms <= 51200 THEN 1 ELSE 0 END) AS ttft_h10,
        SUM(CASE WHEN first_byte_ms IS NOT NULL AND first_byte_ms > 51200 THEN 1 ELSE 0 END) AS ttft_h11
    FROM usage WHERE endpoint IS NOT NULL
    GROUP BY (ts / 3600000) * 3600000, endpoint, unit, COALESCE(key_id, 0), COALESCE(user_id, 0), COALESCE(team_id, 0), COALESCE(public_model, ''), COALESCE(channel_id, 0), COALESCE(upstream_model, ''), CASE WHEN status < 200 OR status >= 500 THEN 5 WHEN status >= 400 THEN 4 WHEN status >= 300 THEN 3 ELSE 2 END) AS s
WHERE usage_endpoint_hour.bucket = s.bucket AND usage_endpoint_hour.endpoint = s.endpoint AND usage_endpoint_hour.unit = s.unit AND usage_endpoint_hour.key_id = s.key_id AND usage_endpoint_hour.user_id = s.user_id AND usage_endpoint_hour.team_id = s.team_id AND usage_endpoint_hour.public_model = s.public_model AND usage_endpoint_hour.channel_id = s.channel_id AND usage_endpoint_hour.upstream_model = s.upstream_model AND usage_endpoint_hour.status_class = s.status_class;

UPDATE usage_endpoint_day SET
    failovers = s.failovers,
    streams = s.streams,
    estimated = s.estimated,
    cached_read_tokens = s.cached_read_tokens,
    cache_write_tokens = s.cache_write_tokens,
    reasoning_tokens = s.reasoning_tokens,
    latency_ms_sum = s.latency_ms_sum,
    ttft_ms_sum = s.ttft_ms_sum,
    ttft_count = s.ttft_count,
    lat_h0 = s.lat_h0,
    lat_h1 = s.lat_h1,
    lat_h2 = s.lat_h2,
    lat_h3 = s.lat_h3,
    lat_h4 = s.lat_h4,
    lat_h5 = s.lat_h5,
    lat_h6 = s.lat_h6,
    lat_h7 = s.lat_h7,
    lat_h8 = s.lat_h8,
    lat_h9 = s.lat_h9,
    lat_h10 = s.lat_h10,
    lat_h11 = s.lat_h11,
    ttft_h0 = s.ttft_h0,
    ttft_h1 = s.ttft_h1,
    ttft_h2 = s.ttft_h2,
    ttft_h3 = s.ttft_h3,
    ttft_h4 = s.ttft_h4,
    ttft_h5 = s.ttft_h5,
    ttft_h6 = s.ttft_h6,
    ttft_h7 = s.ttft_h7,
    ttft_h8 = s.ttft_h8,
    ttft_h9 = s.ttft_h9,
    ttft_h10 = s.ttft_h10,
    ttft_h11 = s.ttft_h11
FROM (SELECT (ts / 86400000) * 86400000 AS bucket,
        endpoint AS endpoint,
        unit AS unit,
        COALESCE(key_id, 0) AS key_id,
        COALESCE(user_id, 0) AS user_id,
        COALESCE(team_id, 0) AS team_id,
        COALESCE(public_model, '') AS public_model,
        COALESCE(channel_id, 0) AS channel_id,
        COALESCE(upstream_model, '') AS upstream_model,
        CASE WHEN status < 200 OR status >= 500 THEN 5 WHEN status >= 400 THEN 4 WHEN status >= 300 THEN 3 ELSE 2 END AS status_class,
        SUM(CASE WHEN json_array_length(attempts) > 1 THEN 1 ELSE 0 END) AS failovers,
        SUM(CASE WHEN stream <> 0 THEN 1 ELSE 0 END) AS streams,
        SUM(CASE WHEN token_source = 'estimated' THEN 1 ELSE 0 END) AS estimated,
        SUM(cached_read_tokens) AS cached_read_tokens,
        SUM(cache_write_tokens) AS cache_write_tokens,
        SUM(reasoning_tokens) AS reasoning_tokens,
        SUM(latency_ms) AS latency_ms_sum,
        SUM(COALESCE(first_byte_ms, 0)) AS ttft_ms_sum,
        SUM(CASE WHEN first_byte_ms IS NOT NULL THEN 1 ELSE 0 END) AS ttft_count,
        SUM(CASE WHEN latency_ms <= 50 THEN 1 ELSE 0 END) AS lat_h0,
        SUM(CASE WHEN latency_ms > 50 AND latency_ms <= 100 THEN 1 ELSE 0 END) AS lat_h1,
        SUM(CASE WHEN latency_ms > 100 AND latency_ms <= 200 THEN 1 ELSE 0 END) AS lat_h2,
        SUM(CASE WHEN latency_ms > 200 AND latency_ms <= 400 THEN 1 ELSE 0 END) AS lat_h3,
        SUM(CASE WHEN latency_ms > 400 AND latency_ms <= 800 THEN 1 ELSE 0 END) AS lat_h4,
        SUM(CASE WHEN latency_ms > 800 AND latency_ms <= 1600 THEN 1 ELSE 0 END) AS lat_h5,
        SUM(CASE WHEN latency_ms > 1600 AND latency_ms <= 3200 THEN 1 ELSE 0 END) AS lat_h6,
        SUM(CASE WHEN latency_ms > 3200 AND latency_ms <= 6400 THEN 1 ELSE 0 END) AS lat_h7,
        SUM(CASE WHEN latency_ms > 6400 AND latency_ms <= 12800 THEN 1 ELSE 0 END) AS lat_h8,
        SUM(CASE WHEN latency_ms > 12800 AND latency_ms <= 25600 THEN 1 ELSE 0 END) AS lat_h9,
        SUM(CASE WHEN latency_ms > 25600 AND latency_ms <= 51200 THEN 1 ELSE 0 END) AS lat_h10,
        SUM(CASE WHEN latency_ms > 51200 THEN 1 ELSE 0 END) AS lat_h11,
        SUM(CASE WHEN first_byte_ms IS NOT NULL AND first_byte_ms <= 50 THEN 1 ELSE 0 END) AS ttft_h0,
        SUM(CASE WHEN first_byte_ms IS NOT NULL AND first_byte_ms > 50 AND first_byte_ms <= 100 THEN 1 ELSE 0 END) AS ttft_h1,
        SUM(CASE WHEN first_byte_ms IS NOT NULL AND first_byte_ms > 100 AND first_byte_ms <= 200 THEN 1 ELSE 0 END) AS ttft_h2,
        SUM(CASE WHEN first_byte_ms IS NOT NULL AND first_byte_ms > 200 AND first_byte_ms <= 400 THEN 1 ELSE 0 END) AS ttft_h3,
        SUM(CASE WHEN first_byte_ms IS NOT NULL AND first_byte_ms > 400 AND first_byte_ms <= 800 THEN 1 ELSE 0 END) AS ttft_h4,
        SUM(CASE WHEN first_byte_ms IS NOT NULL AND first_byte_ms > 800 AND first_byte_ms <= 1600 THEN 1 ELSE 0 END) AS ttft_h5,
        SUM(CASE WHEN first_byte_ms IS NOT NULL AND first_byte_ms > 1600 AND first_byte_ms <= 3200 THEN 1 ELSE 0 END) AS ttft_h6,
        SUM(CASE WHEN first_byte_ms IS NOT NULL AND first_byte_ms > 3200 AND first_byte_ms <= 6400 THEN 1 ELSE 0 END) AS ttft_h7,
        SUM(CASE WHEN first_byte_ms IS NOT NULL AND first_byte_ms > 6400 AND first_byte_ms <= 12800 THEN 1 ELSE 0 END) AS ttft_h8,
        SUM(CASE WHEN first_byte_ms IS NOT NULL AND first_byte_ms > 12800 AND first_byte_ms <= 25600 THEN 1 ELSE 0 END) AS ttft_h9,
        SUM(CASE WHEN first_byte_ms IS NOT NULL AND first_byte_ms > 25600 AND first_byte_ms <= 51200 THEN 1 ELSE 0 END) AS ttft_h10,
        SUM(CASE WHEN first_byte_ms IS NOT NULL AND first_byte_ms > 51200 THEN 1 ELSE 0 END) AS ttft_h11
    FROM usage WHERE endpoint IS NOT NULL
    GROUP BY (ts / 86400000) * 86400000, endpoint, unit, COALESCE(key_id, 0), COALESCE(user_id, 0), COALESCE(team_id, 0), COALESCE(public_model, ''), COALESCE(channel_id, 0), COALESCE(upstream_model, ''), CASE WHEN status < 200 OR status >= 500 THEN 5 WHEN status >= 400 THEN 4 WHEN status >= 300 THEN 3 ELSE 2 END) AS s
WHERE usage_endpoint_day.bucket = s.bucket AND usage_endpoint_day.endpoint = s.endpoint AND usage_endpoint_day.unit = s.unit AND usage_endpoint_day.key_id = s.key_id AND usage_endpoint_day.user_id = s.user_id AND usage_endpoint_day.team_id = s.team_id AND usage_endpoint_day.public_model = s.public_model AND usage_endpoint_day.channel_id = s.channel_id AND usage_endpoint_day.upstream_model = s.upstream_model AND usage_endpoint_day.status_class = s.status_class;
