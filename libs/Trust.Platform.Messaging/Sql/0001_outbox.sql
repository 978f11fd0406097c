-- Transactional outbox (docs/adr/0002). The business row and its outbox row commit together; the
-- dispatcher delivers. The app role may only INSERT here: reading, locking and completing rows goes
-- through the SECURITY DEFINER functions below, so a request handler can never read another trust's
-- pending events. The trust id travels inside the event body, so the table has no trust_id column.
CREATE TABLE ${schema}.outbox_messages (
    id uuid PRIMARY KEY,
    seq bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
    message_type text NOT NULL,
    body jsonb NOT NULL,
    headers jsonb NOT NULL DEFAULT '{}'::jsonb,
    aggregate_id text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    attempts int NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    last_error text NULL,
    sent_at timestamptz NULL
);
CREATE INDEX outbox_pending ON ${schema}.outbox_messages (seq) WHERE sent_at IS NULL;
CREATE INDEX outbox_pending_aggregate ON ${schema}.outbox_messages (aggregate_id, seq) WHERE sent_at IS NULL;
REVOKE ALL ON ${schema}.outbox_messages FROM PUBLIC;
GRANT INSERT ON ${schema}.outbox_messages TO ${app_role};

-- Claims the next batch: oldest first, skipping rows another dispatcher holds, and never a message
-- whose aggregate still has an earlier undelivered one (per-aggregate order survives concurrency).
CREATE FUNCTION ${schema}.outbox_claim(p_limit int)
RETURNS TABLE (id uuid, seq bigint, message_type text, body jsonb, headers jsonb, aggregate_id text, attempts int)
LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
    SELECT o.id, o.seq, o.message_type, o.body, o.headers, o.aggregate_id, o.attempts
    FROM ${schema}.outbox_messages o
    WHERE o.sent_at IS NULL
      AND o.next_attempt_at <= now()
      AND NOT EXISTS (
          SELECT 1 FROM ${schema}.outbox_messages p
          WHERE p.aggregate_id = o.aggregate_id AND p.seq < o.seq AND p.sent_at IS NULL)
    ORDER BY o.seq
    LIMIT p_limit
    FOR UPDATE OF o SKIP LOCKED
$$;

CREATE FUNCTION ${schema}.outbox_mark_sent(p_ids uuid[])
RETURNS void LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
    UPDATE ${schema}.outbox_messages SET sent_at = now(), attempts = attempts + 1, last_error = NULL
    WHERE id = ANY (p_ids) AND sent_at IS NULL
$$;

CREATE FUNCTION ${schema}.outbox_mark_failed(p_id uuid, p_error text, p_retry_after_ms int)
RETURNS void LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
    UPDATE ${schema}.outbox_messages
    SET attempts = attempts + 1,
        last_error = left(p_error, 2000),
        next_attempt_at = now() + make_interval(secs => p_retry_after_ms / 1000.0)
    WHERE id = p_id AND sent_at IS NULL
$$;

-- Delivered rows are kept for a while for diagnosis, then removed.
CREATE FUNCTION ${schema}.outbox_purge(p_older_than interval)
RETURNS integer LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
    WITH gone AS (
        DELETE FROM ${schema}.outbox_messages WHERE sent_at IS NOT NULL AND sent_at < now() - p_older_than RETURNING 1)
    SELECT count(*)::int FROM gone
$$;

-- Pending count and age for the readiness/metrics view; no payloads leave through here.
CREATE FUNCTION ${schema}.outbox_backlog()
RETURNS TABLE (pending bigint, oldest timestamptz)
LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
    SELECT count(*), min(created_at) FROM ${schema}.outbox_messages WHERE sent_at IS NULL
$$;

REVOKE ALL ON FUNCTION ${schema}.outbox_claim(int), ${schema}.outbox_mark_sent(uuid[]),
    ${schema}.outbox_mark_failed(uuid, text, int), ${schema}.outbox_purge(interval), ${schema}.outbox_backlog() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ${schema}.outbox_claim(int), ${schema}.outbox_mark_sent(uuid[]),
    ${schema}.outbox_mark_failed(uuid, text, int), ${schema}.outbox_purge(interval), ${schema}.outbox_backlog() TO ${app_role};
