-- Fewer index entries per raw usage row: every insert maintains every index of the table, and the
-- writer's CPU per row went mostly there (ten indexes).
--
-- (key_name, ts) has had no reader since V3 gave keys ids (the Logs key filter reads key_id).
DROP INDEX usage_key_ts;

-- The status, end-reason and endpoint filters look for the rare values (errors, failed or cut
-- requests, a media endpoint), so those indexes hold only the rows with an uncommon value. A query
-- for the common one (200, done, chat) walks (ts, id) and meets a match at almost every row. The
-- queries repeat the index's condition in their text (UsageStats.RawFilter), so the planner can use
-- the index whatever the bound value.
DROP INDEX usage_status_ts;
CREATE INDEX usage_status_ts ON usage (status, ts, id) WHERE status <> 200;
DROP INDEX usage_end_ts;
CREATE INDEX usage_end_ts ON usage (end_reason, ts, id) WHERE end_reason <> 'done';
DROP INDEX usage_endpoint_ts;
CREATE INDEX usage_endpoint_ts ON usage (endpoint, ts, id) WHERE endpoint <> 'chat';

-- Rows of keys that belong to no user (file keys, a single user's setup) need no user entry.
DROP INDEX usage_user_ts;
CREATE INDEX usage_user_ts ON usage (user_id, ts, id) WHERE user_id IS NOT NULL;
