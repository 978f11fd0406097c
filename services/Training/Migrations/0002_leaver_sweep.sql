-- The daily sweep announces leavers whose leave date arrives between two MIS syncs. Like the expiry
-- sweep it has no tenant: this lists only the trusts with such a leaver (ids, nothing else); the sweep
-- then acts for each trust under RLS.
CREATE INDEX people_due_leavers ON ${schema}.people (leave_date) WHERE left_at IS NULL AND leave_date IS NOT NULL;

CREATE FUNCTION ${schema}.trusts_with_due_leavers(p_today date)
RETURNS TABLE (trust_id uuid)
LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
    SELECT DISTINCT p.trust_id FROM ${schema}.people p
    WHERE p.left_at IS NULL AND p.leave_date IS NOT NULL AND p.leave_date <= p_today
$$;
REVOKE ALL ON FUNCTION ${schema}.trusts_with_due_leavers(date) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ${schema}.trusts_with_due_leavers(date) TO ${app_role};
