-- Mail the platform sends. A row is written in the same transaction as the decision to tell someone (an event taken
-- through the inbox, a sweep), so a notification is never lost; the unique key (the event and the person) means a
-- replayed event adds nothing. The sender claims one row at a time (FOR UPDATE SKIP LOCKED, so replicas never send
-- the same row together) and marks it sent in the claiming transaction once the SMTP server has accepted it.
CREATE TABLE ${schema}.outgoing_mail (
    id uuid PRIMARY KEY,
    trust_id uuid NOT NULL REFERENCES ${schema}.trusts (trust_id),
    dedupe_key text NOT NULL,
    kind text NOT NULL,
    recipient_member_id uuid NULL,
    recipient_address text NOT NULL,
    subject text NOT NULL,
    body text NOT NULL,
    created_at timestamptz NOT NULL,
    next_attempt_at timestamptz NOT NULL,
    attempts int NOT NULL DEFAULT 0,
    last_error text NULL,
    sent_at timestamptz NULL,
    CONSTRAINT outgoing_mail_once UNIQUE (trust_id, dedupe_key)
);
CREATE INDEX outgoing_mail_pending ON ${schema}.outgoing_mail (next_attempt_at) WHERE sent_at IS NULL;
${tenant_table:outgoing_mail}
GRANT SELECT, INSERT, UPDATE ON ${schema}.outgoing_mail TO ${app_role};

-- The one read that crosses tenants: which trusts have mail due now (ids only, never a message).
CREATE FUNCTION ${schema}.mail_due_trusts(p_now timestamptz) RETURNS SETOF uuid
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$ SELECT DISTINCT m.trust_id FROM ${schema}.outgoing_mail m WHERE m.sent_at IS NULL AND m.next_attempt_at <= p_now $$;
REVOKE ALL ON FUNCTION ${schema}.mail_due_trusts(timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ${schema}.mail_due_trusts(timestamptz) TO ${app_role};
