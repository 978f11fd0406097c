-- The outbox belongs to the dispatcher role (docs/adr/0002), not to the request path. Until now the app role could
-- EXECUTE outbox_claim, outbox_mark_sent, outbox_mark_failed and outbox_purge: any code running as the app role (a
-- request handler, an injected statement) could read every trust's pending events (the table has no trust_id and
-- no row-level security), mark them sent so they were never delivered, or purge them. The app role keeps INSERT on
-- the table, which is how a handler's unit of work adds its events.
--
-- The dispatcher role gets EXECUTE on the functions and nothing on the tables. The functions stay SECURITY DEFINER
-- (owned by the owner, search_path fixed to pg_catalog, pg_temp, every name schema-qualified), so what the
-- dispatcher can do is exactly what they do: claim pending rows in order, mark claimed rows sent or failed, purge
-- delivered rows older than a given age. Table grants instead (SELECT, UPDATE, DELETE on outbox_messages) would let
-- a leaked dispatcher login rewrite bodies or delete pending events.
GRANT USAGE ON SCHEMA ${schema} TO ${dispatcher_role};

REVOKE ALL ON FUNCTION ${schema}.outbox_claim(int), ${schema}.outbox_mark_sent(uuid[]),
    ${schema}.outbox_mark_failed(uuid, text, int), ${schema}.outbox_purge(interval) FROM PUBLIC, ${app_role};
GRANT EXECUTE ON FUNCTION ${schema}.outbox_claim(int), ${schema}.outbox_mark_sent(uuid[]),
    ${schema}.outbox_mark_failed(uuid, text, int), ${schema}.outbox_purge(interval) TO ${dispatcher_role};

-- Pending count and age, no payloads: for readiness and metrics from either role.
GRANT EXECUTE ON FUNCTION ${schema}.outbox_backlog() TO ${dispatcher_role};
