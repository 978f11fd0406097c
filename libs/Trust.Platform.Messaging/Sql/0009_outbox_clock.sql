-- The platform clock (docs/adr/0007): the dispatcher passes its TimeProvider's instant into every function that compares
-- or stamps time, instead of PostgreSQL's now(), so that a service whose clock is shifted for a test or a demo
-- (Clock:Now) claims, backs off and purges by the clock that stamped created_at. These replace the functions of 0001
-- and 0003 (applied migrations are never edited: the runner checksums them); the old ones are dropped at the end.

-- A new row is due at once, whichever clock is asked; only a failed attempt sets a time (the dispatcher's, plus the
-- backoff). With now() here, a dispatcher whose clock is behind the database's would leave new rows waiting.
ALTER TABLE ${schema}.outbox_messages ALTER COLUMN next_attempt_at SET DEFAULT '-infinity';
-- Every writer stamps created_at from its clock (OutboxExtensions.AddEvent, OutboxBatch.WriteAsync): a row without one is a bug.
ALTER TABLE ${schema}.outbox_messages ALTER COLUMN created_at DROP DEFAULT;

-- As in 0003, with the dispatcher's clock.
CREATE FUNCTION ${schema}.outbox_claim(p_limit int, p_now timestamptz)
RETURNS TABLE (id uuid, seq bigint, message_type text, body json, headers json, aggregate_id text, attempts int)
LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
    SELECT o.id, o.seq, o.message_type, o.body, o.headers, o.aggregate_id, o.attempts
    FROM ${schema}.outbox_messages o
    WHERE o.sent_at IS NULL
      AND o.next_attempt_at <= p_now
      AND NOT EXISTS (
          SELECT 1 FROM ${schema}.outbox_messages p
          WHERE p.aggregate_id = o.aggregate_id AND p.seq < o.seq AND p.sent_at IS NULL)
    ORDER BY o.seq
    LIMIT p_limit
    FOR UPDATE OF o SKIP LOCKED
$$;

CREATE FUNCTION ${schema}.outbox_mark_sent(p_ids uuid[], p_now timestamptz)
RETURNS void LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
    UPDATE ${schema}.outbox_messages SET sent_at = p_now, attempts = attempts + 1, last_error = NULL
    WHERE id = ANY (p_ids) AND sent_at IS NULL
$$;

CREATE FUNCTION ${schema}.outbox_mark_failed(p_id uuid, p_error text, p_retry_after_ms int, p_now timestamptz)
RETURNS void LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
    UPDATE ${schema}.outbox_messages
    SET attempts = attempts + 1,
        last_error = left(p_error, 2000),
        next_attempt_at = p_now + make_interval(secs => p_retry_after_ms / 1000.0)
    WHERE id = p_id AND sent_at IS NULL
$$;

CREATE FUNCTION ${schema}.outbox_purge(p_older_than interval, p_now timestamptz)
RETURNS integer LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
    WITH gone AS (
        DELETE FROM ${schema}.outbox_messages WHERE sent_at IS NOT NULL AND sent_at < p_now - p_older_than RETURNING 1)
    SELECT count(*)::int FROM gone
$$;

REVOKE ALL ON FUNCTION ${schema}.outbox_claim(int, timestamptz), ${schema}.outbox_mark_sent(uuid[], timestamptz),
    ${schema}.outbox_mark_failed(uuid, text, int, timestamptz), ${schema}.outbox_purge(interval, timestamptz) FROM PUBLIC;

-- The new functions may be called by exactly the roles that could call the ones they replace (the app role as 0001
-- granted, or whichever role a later grant gave the dispatch to), so this migration neither widens nor narrows who
-- dispatches.
DO $$
DECLARE
    grantee text;
BEGIN
    FOR grantee IN
        SELECT DISTINCT a.grantee::regrole::text
        FROM pg_proc p CROSS JOIN LATERAL aclexplode(p.proacl) a
        WHERE p.oid = '${schema}.outbox_claim(int)'::regprocedure
          AND a.privilege_type = 'EXECUTE' AND a.grantee <> 0 AND a.grantee <> p.proowner
    LOOP
        EXECUTE format('GRANT EXECUTE ON FUNCTION ${schema}.outbox_claim(int, timestamptz), ${schema}.outbox_mark_sent(uuid[], timestamptz), '
            || '${schema}.outbox_mark_failed(uuid, text, int, timestamptz), ${schema}.outbox_purge(interval, timestamptz) TO %s', grantee);
    END LOOP;
END
$$;

DROP FUNCTION ${schema}.outbox_claim(int);
DROP FUNCTION ${schema}.outbox_mark_sent(uuid[]);
DROP FUNCTION ${schema}.outbox_mark_failed(uuid, text, int);
DROP FUNCTION ${schema}.outbox_purge(interval);
