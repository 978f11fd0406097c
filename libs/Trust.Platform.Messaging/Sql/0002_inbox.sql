-- Idempotent consumers: a consumer claims (message id, consumer) in the same transaction as its own
-- writes; a redelivered or duplicated message finds the claim and has no second effect.
CREATE TABLE ${schema}.inbox_messages (
    message_id uuid NOT NULL,
    consumer text NOT NULL,
    received_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (message_id, consumer)
);
REVOKE ALL ON ${schema}.inbox_messages FROM PUBLIC;
GRANT SELECT, INSERT ON ${schema}.inbox_messages TO ${app_role};
