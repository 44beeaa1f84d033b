-- A request's row is found by the millisecond its id carries (RequestIds), through the time index
-- (ts, id), which reads the rows of a few seconds: the index on request_id, which every insert had to
-- keep up (a tenth of the writer's CPU per row) and which held every id again, goes.
DROP INDEX IF EXISTS usage_request_id;
