-- Wakes the outbox dispatchers when outbox rows commit, instead of each replica polling the table every 500 ms
-- (docs/adr/0160). One notification per INSERT or COPY statement (a statement-level trigger, so a bulk unit of work
-- or OutboxBatch's COPY costs one, not one per row); PostgreSQL delivers it only at commit, never for a rollback,
-- and folds identical notifications of one transaction into one. Every writer is covered, whatever process it runs
-- in (another replica, the seed command, a migration), which an in-process signal alone could not see.
-- The channel is per schema: services sharing one database (tests, a small deployment) wake only their own dispatcher.
-- No payload: the dispatcher claims through outbox_claim as before, so a notification reveals nothing and a lost one
-- costs only latency (the dispatcher's safety poll, Outbox:PollInterval, still runs).
CREATE FUNCTION ${schema}.outbox_notify() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    PERFORM pg_notify('${schema}_outbox', '');
    RETURN NULL;
END
$$;
-- A trigger function's EXECUTE is checked when the trigger is created (by the owner), not when it fires: the app role
-- that inserts needs nothing new, and nobody may call the function directly.
REVOKE ALL ON FUNCTION ${schema}.outbox_notify() FROM PUBLIC;

CREATE TRIGGER outbox_notify AFTER INSERT ON ${schema}.outbox_messages
    FOR EACH STATEMENT EXECUTE FUNCTION ${schema}.outbox_notify();
