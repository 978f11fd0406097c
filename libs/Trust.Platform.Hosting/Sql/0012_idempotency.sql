-- Idempotency-Key (draft-ietf-httpapi-idempotency-key-header): the first answer to a creating POST, per trust, operation,
-- caller and key, so that a retry gets it again instead of creating a second record. The row is claimed in the same
-- transaction as the create, so two concurrent retries cannot both create.
CREATE TABLE ${schema}.idempotency_requests (
    trust_id uuid NOT NULL,
    scope text NOT NULL,
    key text NOT NULL,
    request_hash bytea NOT NULL,
    status int NULL,
    location text NULL,
    body text NULL,
    created_at timestamptz NOT NULL,
    PRIMARY KEY (trust_id, scope, key)
);
${tenant_table:idempotency_requests}
GRANT SELECT, INSERT, UPDATE, DELETE ON ${schema}.idempotency_requests TO ${app_role};
