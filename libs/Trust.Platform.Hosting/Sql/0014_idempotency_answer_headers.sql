-- The replay of an Idempotency-Key's answer repeats the answer's own headers (Location, ETag, Cache-Control), not only
-- its Location: a JSON object of them. Rows recorded before keep their location column and replay it alone.
ALTER TABLE ${schema}.idempotency_requests ADD COLUMN headers text NULL;
