-- The notice sweep (training falling due, the weekly digest of who is behind) has no tenant: this lists only the trusts with
-- someone on a roster (ids, nothing else); the sweep then acts for each trust under RLS and claims each notice once in the
-- platform's notices_sent ledger.
CREATE FUNCTION ${schema}.trusts_with_roster()
RETURNS TABLE (trust_id uuid)
LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
    SELECT DISTINCT p.trust_id FROM ${schema}.people p WHERE p.left_at IS NULL
$$;
REVOKE ALL ON FUNCTION ${schema}.trusts_with_roster() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ${schema}.trusts_with_roster() TO ${app_role};
