-- When the next queued message or webhook delivery falls due, across every trust (a time only, never a row): the
-- mail sender and webhook deliverer sleep until then instead of polling (docs/adr/0160). A commit that queues work
-- in the same process wakes its worker at once; this covers retries waiting out their back-off. Both read the
-- pending rows' partial index, so each is one index probe.
CREATE FUNCTION ${schema}.mail_next_due() RETURNS timestamptz
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$ SELECT min(m.next_attempt_at) FROM ${schema}.outgoing_mail m WHERE m.sent_at IS NULL $$;
REVOKE ALL ON FUNCTION ${schema}.mail_next_due() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ${schema}.mail_next_due() TO ${app_role};

CREATE FUNCTION ${schema}.webhook_next_due() RETURNS timestamptz
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$ SELECT min(d.next_attempt_at) FROM ${schema}.webhook_deliveries d WHERE d.delivered_at IS NULL AND d.gave_up_at IS NULL $$;
REVOKE ALL ON FUNCTION ${schema}.webhook_next_due() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ${schema}.webhook_next_due() TO ${app_role};
