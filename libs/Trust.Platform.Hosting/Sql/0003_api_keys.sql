-- Integration API keys. Policy holds the primary rows (issued and revoked there); every other service
-- keeps a replica fed by ApiKeyIssued/ApiKeyRevoked so that it can authenticate a key on its own.
-- Only the SHA-256 hash of a key is stored, never the key.
CREATE TABLE ${schema}.api_keys (
    id uuid PRIMARY KEY,
    trust_id uuid NOT NULL,
    name text NOT NULL,
    prefix text NOT NULL UNIQUE,
    hash bytea NOT NULL,
    scopes text[] NOT NULL,
    school_ids uuid[] NOT NULL DEFAULT '{}',
    rate_limit_per_minute int NOT NULL CHECK (rate_limit_per_minute > 0),
    created_at timestamptz NOT NULL,
    created_by text NULL,
    revoked_at timestamptz NULL,
    last_used_at timestamptz NULL
);
CREATE INDEX api_keys_trust ON ${schema}.api_keys (trust_id, created_at);
ALTER TABLE ${schema}.api_keys ENABLE ROW LEVEL SECURITY;
ALTER TABLE ${schema}.api_keys FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON ${schema}.api_keys
    USING (trust_id = ${current_trust}) WITH CHECK (trust_id = ${current_trust});
REVOKE ALL ON ${schema}.api_keys FROM PUBLIC;
GRANT SELECT, INSERT, UPDATE ON ${schema}.api_keys TO ${app_role};

-- Authentication happens before the tenant is known (the key tells us the trust), so the lookup by
-- prefix is the one read that crosses tenants; it returns only what verification needs.
CREATE FUNCTION ${schema}.api_key_find(p_prefix text)
RETURNS TABLE (id uuid, trust_id uuid, hash bytea, scopes text[], school_ids uuid[], rate_limit_per_minute int, revoked_at timestamptz)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
    SELECT k.id, k.trust_id, k.hash, k.scopes, k.school_ids, k.rate_limit_per_minute, k.revoked_at
    FROM ${schema}.api_keys k WHERE k.prefix = p_prefix
$$;

CREATE FUNCTION ${schema}.api_key_touch(p_id uuid, p_at timestamptz)
RETURNS void LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
    UPDATE ${schema}.api_keys SET last_used_at = greatest(coalesce(last_used_at, p_at), p_at) WHERE id = p_id
$$;

REVOKE ALL ON FUNCTION ${schema}.api_key_find(text), ${schema}.api_key_touch(uuid, timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ${schema}.api_key_find(text), ${schema}.api_key_touch(uuid, timestamptz) TO ${app_role};
