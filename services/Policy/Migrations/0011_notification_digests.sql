-- Each member chooses how they hear of things: each notice at once, or one daily digest. A safeguarding notice is
-- never held for a digest (NotificationRequested.Safeguarding). A held notice is a digest item, written in the same
-- transaction and with the same unique key as the message it stands for; the daily sweep turns a member's items into
-- one outgoing message and marks them with its id, in one transaction.
ALTER TABLE ${schema}.trust_members ADD COLUMN notifications text NOT NULL DEFAULT 'immediate'
    CONSTRAINT trust_members_notifications CHECK (notifications IN ('immediate', 'daily_digest'));

CREATE TABLE ${schema}.digest_items (
    id uuid PRIMARY KEY,
    trust_id uuid NOT NULL REFERENCES ${schema}.trusts (trust_id),
    member_id uuid NOT NULL,
    dedupe_key text NOT NULL,
    kind text NOT NULL,
    subject text NOT NULL,
    body text NOT NULL,
    link text NULL,
    created_at timestamptz NOT NULL,
    digest_mail_id uuid NULL,
    CONSTRAINT digest_items_once UNIQUE (trust_id, dedupe_key)
);
CREATE INDEX digest_items_pending ON ${schema}.digest_items (trust_id, member_id, created_at) WHERE digest_mail_id IS NULL;
${tenant_table:digest_items}
GRANT SELECT, INSERT, UPDATE ON ${schema}.digest_items TO ${app_role};

-- Which trusts have items to digest from before p_before (ids only).
CREATE FUNCTION ${schema}.digest_due_trusts(p_before timestamptz) RETURNS SETOF uuid
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$ SELECT DISTINCT d.trust_id FROM ${schema}.digest_items d WHERE d.digest_mail_id IS NULL AND d.created_at < p_before $$;
REVOKE ALL ON FUNCTION ${schema}.digest_due_trusts(timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ${schema}.digest_due_trusts(timestamptz) TO ${app_role};
