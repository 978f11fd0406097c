-- The headteacher is told when a comment's response deadline is about to pass (and again when it has): response_warned_at
-- records that the warning was asked for, once per case, as overdue_at does for the deadline itself.
ALTER TABLE ${schema}.cases ADD COLUMN response_warned_at timestamptz NULL;

-- The schools with an open case whose deadline has passed, or falls before p_warn_until and was not warned of: keys only,
-- for the sweep, which then visits each school under row-level security.
CREATE FUNCTION ${schema}.sla_attention_schools(p_now timestamptz, p_warn_until timestamptz)
RETURNS TABLE (trust_id uuid, school_id uuid)
LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
    SELECT DISTINCT c.trust_id, c.school_id FROM ${schema}.cases c
    WHERE c.status = 'open' AND c.overdue_at IS NULL AND c.due_at IS NOT NULL
      AND (c.due_at <= p_now OR (c.due_at <= p_warn_until AND c.response_warned_at IS NULL))
$$;
REVOKE ALL ON FUNCTION ${schema}.sla_attention_schools(timestamptz, timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ${schema}.sla_attention_schools(timestamptz, timestamptz) TO ${app_role};
