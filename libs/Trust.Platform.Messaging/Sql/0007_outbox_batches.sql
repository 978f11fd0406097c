-- Batched rows (docs/adr/0002): a bulk unit of work writes its events as rows of message_type 'batch' whose body is
-- a JSON array of {"id", "type", "aggregateId", "body"}, up to 500 events each (OutboxBatch); the dispatcher
-- publishes every event on its own with its own message id. A 10,000-event body is about 3 MB of JSON that
-- compresses well; lz4 compresses it several times faster than the default pglz. A server built without lz4 keeps
-- pglz (nothing else changes).
DO $$
BEGIN
    ALTER TABLE ${schema}.outbox_messages ALTER COLUMN body SET COMPRESSION lz4;
EXCEPTION WHEN feature_not_supported OR invalid_parameter_value THEN
    RAISE NOTICE 'lz4 is not available on this server; outbox bodies stay pglz-compressed';
END
$$;

-- Every event in the outbox, one row each, whether written on its own or in a batch: for operators and tests.
-- Like the table, it is not granted to the app role.
CREATE VIEW ${schema}.outbox_events AS
SELECT o.id, o.seq, 0::bigint AS position, o.message_type, o.body, o.aggregate_id, o.created_at, o.sent_at
FROM ${schema}.outbox_messages o
WHERE o.message_type <> 'batch'
UNION ALL
SELECT (e.value ->> 'id')::uuid, o.seq, e.position, e.value ->> 'type', e.value -> 'body', e.value ->> 'aggregateId', o.created_at, o.sent_at
FROM ${schema}.outbox_messages o
CROSS JOIN LATERAL json_array_elements(o.body) WITH ORDINALITY AS e(value, position)
WHERE o.message_type = 'batch';
REVOKE ALL ON ${schema}.outbox_events FROM PUBLIC;
