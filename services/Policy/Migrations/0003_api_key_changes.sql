-- Policy's key change feed, read by every replica to reconcile its copy (docs/adr/0006).
-- Each change to a key (issued, revoked, expiry set) takes the next change_seq. The numbers are taken one
-- writer at a time under a transaction-scoped advisory lock, so a change commits before the next number is
-- handed out: a reader that has seen change n has seen every change below n, and a cursor never skips one.
-- Key changes are rare (an admin issuing or revoking); serialising them costs nothing noticeable.
CREATE SEQUENCE ${schema}.api_key_change_seq;
ALTER TABLE ${schema}.api_keys ADD COLUMN change_seq bigint NULL;
UPDATE ${schema}.api_keys k SET change_seq = n.seq
FROM (SELECT id, nextval('${schema}.api_key_change_seq') AS seq FROM (SELECT id FROM ${schema}.api_keys ORDER BY created_at, id) o) n
WHERE k.id = n.id;
ALTER TABLE ${schema}.api_keys ALTER COLUMN change_seq SET NOT NULL;
CREATE UNIQUE INDEX api_keys_change_seq ON ${schema}.api_keys (change_seq);

CREATE FUNCTION ${schema}.api_key_changed() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    -- Recording a key's last use is not a change a replica needs.
    IF TG_OP = 'UPDATE' AND NEW.revoked_at IS NOT DISTINCT FROM OLD.revoked_at AND NEW.expires_at IS NOT DISTINCT FROM OLD.expires_at
       AND NEW.scopes IS NOT DISTINCT FROM OLD.scopes AND NEW.school_ids IS NOT DISTINCT FROM OLD.school_ids
       AND NEW.rate_limit_per_minute IS NOT DISTINCT FROM OLD.rate_limit_per_minute THEN
        NEW.change_seq := OLD.change_seq;
        RETURN NEW;
    END IF;
    PERFORM pg_advisory_xact_lock(hashtext('${schema}'), hashtext('api_key_changes'));
    NEW.change_seq := nextval('${schema}.api_key_change_seq');
    RETURN NEW;
END
$$;
REVOKE ALL ON FUNCTION ${schema}.api_key_changed() FROM PUBLIC;
CREATE TRIGGER api_keys_changed BEFORE INSERT OR UPDATE ON ${schema}.api_keys
    FOR EACH ROW EXECUTE FUNCTION ${schema}.api_key_changed();

-- The feed crosses trusts (a replica keeps every trust's keys), so it is a function, as api_key_find is; only
-- the platform_service credential may call the endpoint that reads it.
CREATE FUNCTION ${schema}.api_key_changes(p_after bigint, p_limit int)
RETURNS TABLE (change_seq bigint, id uuid, trust_id uuid, name text, prefix text, hash bytea, scopes text[], school_ids uuid[],
               rate_limit_per_minute int, created_at timestamptz, expires_at timestamptz, revoked_at timestamptz)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
    SELECT k.change_seq, k.id, k.trust_id, k.name, k.prefix, k.hash, k.scopes, k.school_ids, k.rate_limit_per_minute, k.created_at, k.expires_at, k.revoked_at
    FROM ${schema}.api_keys k
    WHERE k.change_seq > p_after
    ORDER BY k.change_seq
    LIMIT p_limit
$$;
REVOKE ALL ON FUNCTION ${schema}.api_key_changes(bigint, int) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ${schema}.api_key_changes(bigint, int) TO ${app_role};
