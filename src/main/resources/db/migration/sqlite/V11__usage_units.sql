-- Usage per endpoint (issue 20): what each row was asked at and what it is billed by.
--
-- Raw rows get the endpoint (chat, embeddings, images/generations, images/edits, images/variations,
-- audio/speech, audio/transcriptions, audio/translations, moderations, rerank), the units it is
-- billed by (tokens for chat and embeddings: input + output; images; characters of speech input;
-- seconds of audio; rerank searches), a detail that refines an image's price (size and quality)
-- and whether the count was estimated (audio seconds from the upload's size).
--
-- Three more rollups, one per grain, hold the per-endpoint sums the dashboard breaks usage down by;
-- kept by the writer in the same transaction as the raw rows (usage.EndpointRollups), like V6's.
-- Rows written before this migration: chat/embeddings by their client API, units = their tokens.

ALTER TABLE usage ADD COLUMN endpoint TEXT;             -- NULL: not a model route
ALTER TABLE usage ADD COLUMN units BIGINT NOT NULL DEFAULT 0;
ALTER TABLE usage ADD COLUMN unit TEXT;                 -- token | image | character | second | search
ALTER TABLE usage ADD COLUMN unit_detail TEXT;          -- an image's "size quality", e.g. '1024x1024 hd'
ALTER TABLE usage ADD COLUMN units_estimated BOOLEAN NOT NULL DEFAULT FALSE;

UPDATE usage SET endpoint = CASE WHEN client_api = 'embeddings' THEN 'embeddings' ELSE 'chat' END,
    units = prompt_tokens + completion_tokens, unit = 'token'
WHERE client_api IS NOT NULL;

CREATE TABLE usage_endpoint_minute (
    bucket            BIGINT  NOT NULL,   -- epoch millis of the bucket's start (UTC)
    endpoint          TEXT    NOT NULL,   -- chat | embeddings | images/generations | … ; '': none
    unit              TEXT    NOT NULL,   -- token | image | character | second | search
    key_id            BIGINT  NOT NULL,   -- 0: none
    user_id           BIGINT  NOT NULL,   -- 0: none
    team_id           BIGINT  NOT NULL,   -- 0: none
    public_model      TEXT    NOT NULL,   -- '': none
    channel_id        BIGINT  NOT NULL,   -- 0: no channel served it
    upstream_model    TEXT    NOT NULL,   -- '': none
    status_class      INTEGER NOT NULL,   -- 2, 4 or 5
    requests          BIGINT  NOT NULL,
    units             BIGINT  NOT NULL,   -- sum of the rows' units
    units_estimated   BIGINT  NOT NULL,   -- requests whose units were estimated
    prompt_tokens     BIGINT  NOT NULL,
    completion_tokens BIGINT  NOT NULL,
    cost_micros       BIGINT  NOT NULL,   -- sum of the known costs
    cost_unknown      BIGINT  NOT NULL,   -- requests whose cost is unknown
    PRIMARY KEY (bucket, endpoint, unit, key_id, user_id, team_id, public_model, channel_id, upstream_model, status_class)
);

INSERT INTO usage_endpoint_minute (bucket, endpoint, unit, key_id, user_id, team_id, public_model,
    channel_id, upstream_model, status_class, requests, units, units_estimated, prompt_tokens, completion_tokens,
    cost_micros, cost_unknown)
SELECT (ts / 60000) * 60000, endpoint, unit, COALESCE(key_id, 0), COALESCE(user_id, 0), COALESCE(team_id, 0),
    COALESCE(public_model, ''), COALESCE(channel_id, 0), COALESCE(upstream_model, ''),
    CASE WHEN status < 200 OR status >= 500 THEN 5 WHEN status >= 400 THEN 4 WHEN status >= 300 THEN 3 ELSE 2 END,
    COUNT(*), SUM(units), 0, SUM(prompt_tokens), SUM(completion_tokens), SUM(COALESCE(cost_micros, 0)),
    SUM(CASE WHEN cost_micros IS NULL THEN 1 ELSE 0 END)
FROM usage WHERE endpoint IS NOT NULL
GROUP BY (ts / 60000) * 60000, endpoint, unit, COALESCE(key_id, 0), COALESCE(user_id, 0), COALESCE(team_id, 0),
    COALESCE(public_model, ''), COALESCE(channel_id, 0), COALESCE(upstream_model, ''),
    CASE WHEN status < 200 OR status >= 500 THEN 5 WHEN status >= 400 THEN 4 WHEN status >= 300 THEN 3 ELSE 2 END;

CREATE TABLE usage_endpoint_hour (
    bucket            BIGINT  NOT NULL,   -- epoch millis of the bucket's start (UTC)
    endpoint          TEXT    NOT NULL,   -- chat | embeddings | images/generations | … ; '': none
    unit              TEXT    NOT NULL,   -- token | image | character | second | search
    key_id            BIGINT  NOT NULL,   -- 0: none
    user_id           BIGINT  NOT NULL,   -- 0: none
    team_id           BIGINT  NOT NULL,   -- 0: none
    public_model      TEXT    NOT NULL,   -- '': none
    channel_id        BIGINT  NOT NULL,   -- 0: no channel served it
    upstream_model    TEXT    NOT NULL,   -- '': none
    status_class      INTEGER NOT NULL,   -- 2, 4 or 5
    requests          BIGINT  NOT NULL,
    units             BIGINT  NOT NULL,   -- sum of the rows' units
    units_estimated   BIGINT  NOT NULL,   -- requests whose units were estimated
    prompt_tokens     BIGINT  NOT NULL,
    completion_tokens BIGINT  NOT NULL,
    cost_micros       BIGINT  NOT NULL,   -- sum of the known costs
    cost_unknown      BIGINT  NOT NULL,   -- requests whose cost is unknown
    PRIMARY KEY (bucket, endpoint, unit, key_id, user_id, team_id, public_model, channel_id, upstream_model, status_class)
);

INSERT INTO usage_endpoint_hour (bucket, endpoint, unit, key_id, user_id, team_id, public_model,
    channel_id, upstream_model, status_class, requests, units, units_estimated, prompt_tokens, completion_tokens,
    cost_micros, cost_unknown)
SELECT (ts / 3600000) * 3600000, endpoint, unit, COALESCE(key_id, 0), COALESCE(user_id, 0), COALESCE(team_id, 0),
    COALESCE(public_model, ''), COALESCE(channel_id, 0), COALESCE(upstream_model, ''),
    CASE WHEN status < 200 OR status >= 500 THEN 5 WHEN status >= 400 THEN 4 WHEN status >= 300 THEN 3 ELSE 2 END,
    COUNT(*), SUM(units), 0, SUM(prompt_tokens), SUM(completion_tokens), SUM(COALESCE(cost_micros, 0)),
    SUM(CASE WHEN cost_micros IS NULL THEN 1 ELSE 0 END)
FROM usage WHERE endpoint IS NOT NULL
GROUP BY (ts / 3600000) * 3600000, endpoint, unit, COALESCE(key_id, 0), COALESCE(user_id, 0), COALESCE(team_id, 0),
    COALESCE(public_model, ''), COALESCE(channel_id, 0), COALESCE(upstream_model, ''),
    CASE WHEN status < 200 OR status >= 500 THEN 5 WHEN status >= 400 THEN 4 WHEN status >= 300 THEN 3 ELSE 2 END;

CREATE TABLE usage_endpoint_day (
    bucket            BIGINT  NOT NULL,   -- epoch millis of the bucket's start (UTC)
    endpoint          TEXT    NOT NULL,   -- chat | embeddings | images/generations | … ; '': none
    unit              TEXT    NOT NULL,   -- token | image | character | second | search
    key_id            BIGINT  NOT NULL,   -- 0: none
    user_id           BIGINT  NOT NULL,   -- 0: none
    team_id           BIGINT  NOT NULL,   -- 0: none
    public_model      TEXT    NOT NULL,   -- '': none
    channel_id        BIGINT  NOT NULL,   -- 0: no channel served it
    upstream_model    TEXT    NOT NULL,   -- '': none
    status_class      INTEGER NOT NULL,   -- 2, 4 or 5
    requests          BIGINT  NOT NULL,
    units             BIGINT  NOT NULL,   -- sum of the rows' units
    units_estimated   BIGINT  NOT NULL,   -- requests whose units were estimated
    prompt_tokens     BIGINT  NOT NULL,
    completion_tokens BIGINT  NOT NULL,
    cost_micros       BIGINT  NOT NULL,   -- sum of the known costs
    cost_unknown      BIGINT  NOT NULL,   -- requests whose cost is unknown
    PRIMARY KEY (bucket, endpoint, unit, key_id, user_id, team_id, public_model, channel_id, upstream_model, status_class)
);

INSERT INTO usage_endpoint_day (bucket, endpoint, unit, key_id, user_id, team_id, public_model,
    channel_id, upstream_model, status_class, requests, units, units_estimated, prompt_tokens, completion_tokens,
    cost_micros, cost_unknown)
SELECT (ts / 86400000) * 86400000, endpoint, unit, COALESCE(key_id, 0), COALESCE(user_id, 0), COALESCE(team_id, 0),
    COALESCE(public_model, ''), COALESCE(channel_id, 0), COALESCE(upstream_model, ''),
    CASE WHEN status < 200 OR status >= 500 THEN 5 WHEN status >= 400 THEN 4 WHEN status >= 300 THEN 3 ELSE 2 END,
    COUNT(*), SUM(units), 0, SUM(prompt_tokens), SUM(completion_tokens), SUM(COALESCE(cost_micros, 0)),
    SUM(CASE WHEN cost_micros IS NULL THEN 1 ELSE 0 END)
FROM usage WHERE endpoint IS NOT NULL
GROUP BY (ts / 86400000) * 86400000, endpoint, unit, COALESCE(key_id, 0), COALESCE(user_id, 0), COALESCE(team_id, 0),
    COALESCE(public_model, ''), COALESCE(channel_id, 0), COALESCE(upstream_model, ''),
    CASE WHEN status < 200 OR status >= 500 THEN 5 WHEN status >= 400 THEN 4 WHEN status >= 300 THEN 3 ELSE 2 END;

CREATE INDEX usage_endpoint_ts ON usage (endpoint, ts, id);
