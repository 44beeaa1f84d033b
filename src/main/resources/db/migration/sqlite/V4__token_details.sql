-- The three token details every usage row carries besides the totals (see TokenUsage): they are
-- subsets of the totals, counted the OpenAI way (prompt_tokens includes cached reads and cache
-- writes; completion_tokens includes reasoning). Rows written before this migration read 0.
ALTER TABLE usage ADD COLUMN cached_read_tokens BIGINT NOT NULL DEFAULT 0;
ALTER TABLE usage ADD COLUMN cache_write_tokens BIGINT NOT NULL DEFAULT 0;
ALTER TABLE usage ADD COLUMN reasoning_tokens BIGINT NOT NULL DEFAULT 0;
