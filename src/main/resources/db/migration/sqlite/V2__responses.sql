-- Responses API answers kept for previous_response_id and GET /v1/responses/{id}; pruned after the
-- retention period (see ResponseStore).
CREATE TABLE responses (
    id          TEXT    PRIMARY KEY,
    created_at  BIGINT  NOT NULL,          -- epoch millis
    model       TEXT    NOT NULL,
    input       TEXT    NOT NULL,          -- JSON array: every input item of the conversation so far
    response    TEXT    NOT NULL           -- JSON: the response object as the client received it
);
CREATE INDEX responses_created ON responses (created_at);
