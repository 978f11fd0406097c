-- Keys may expire; revocations are tombstones (docs/adr/0006).
-- A replica can hear of a revocation before the key's ApiKeyIssued (the broker does not order two events of
-- one aggregate across redeliveries): the tombstone waits for the key and the key arrives revoked. Nothing
-- ever clears revoked_at, so a late or replayed "issued" cannot bring a key back.
ALTER TABLE ${schema}.api_keys ADD COLUMN expires_at timestamptz NULL;

CREATE TABLE ${schema}.api_key_revocations (
    key_id uuid PRIMARY KEY,
    trust_id uuid NOT NULL,
    revoked_at timestamptz NOT NULL
);
ALTER TABLE ${schema}.api_key_revocations ENABLE ROW LEVEL SECURITY;
ALTER TABLE ${schema}.api_key_revocations FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON ${schema}.api_key_revocations
    USING (trust_id = ${current_trust}) WITH CHECK (trust_id = ${current_trust});
REVOKE ALL ON ${schema}.api_key_revocations FROM PUBLIC;
GRANT SELECT, INSERT ON ${schema}.api_key_revocations TO ${app_role};

-- The lookup now says when the key expires, and a tombstone revokes the key whatever its own row says.
DROP FUNCTION ${schema}.api_key_find(text);
CREATE FUNCTION ${schema}.api_key_find(p_prefix text)
RETURNS TABLE (id uuid, trust_id uuid, hash bytea, scopes text[], school_ids uuid[], rate_limit_per_minute int, revoked_at timestamptz, expires_at timestamptz)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
    SELECT k.id, k.trust_id, k.hash, k.scopes, k.school_ids, k.rate_limit_per_minute, coalesce(k.revoked_at, r.revoked_at), k.expires_at
    FROM ${schema}.api_keys k
    LEFT JOIN ${schema}.api_key_revocations r ON r.key_id = k.id
    WHERE k.prefix = p_prefix
$$;
REVOKE ALL ON FUNCTION ${schema}.api_key_find(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ${schema}.api_key_find(text) TO ${app_role};
