-- Webhooks: a trust admin subscribes an HTTPS endpoint to event types; each event of the trust that matches becomes a
-- delivery (once per subscription and event: a replayed event adds nothing), signed and retried with back-off for a day.
-- No signing secret is stored: it is derived from the service's Webhooks:SigningKey and the subscription's salt, so a
-- copy of this database signs nothing.
CREATE TABLE ${schema}.webhook_subscriptions (
    trust_id uuid NOT NULL REFERENCES ${schema}.trusts (trust_id),
    id uuid NOT NULL,
    url text NOT NULL,
    description text NULL,
    event_types text[] NOT NULL,
    secret_salt bytea NOT NULL,
    created_at timestamptz NOT NULL,
    created_by text NOT NULL,
    disabled_at timestamptz NULL,
    PRIMARY KEY (trust_id, id)
);
${tenant_table:webhook_subscriptions}
GRANT SELECT, INSERT, UPDATE ON ${schema}.webhook_subscriptions TO ${app_role};

CREATE TABLE ${schema}.webhook_deliveries (
    trust_id uuid NOT NULL,
    id uuid NOT NULL,
    subscription_id uuid NOT NULL,
    event_id uuid NOT NULL,
    event_type text NOT NULL,
    -- The exact body sent, so every attempt and a replay sign the same bytes.
    payload text NOT NULL,
    created_at timestamptz NOT NULL,
    next_attempt_at timestamptz NOT NULL,
    attempts int NOT NULL DEFAULT 0,
    delivered_at timestamptz NULL,
    gave_up_at timestamptz NULL,
    replay_of uuid NULL,
    PRIMARY KEY (trust_id, id),
    FOREIGN KEY (trust_id, subscription_id) REFERENCES ${schema}.webhook_subscriptions (trust_id, id)
);
-- One delivery per subscription and event; replays are deliveries of their own (replay_of set).
CREATE UNIQUE INDEX webhook_deliveries_once ON ${schema}.webhook_deliveries (trust_id, subscription_id, event_id) WHERE replay_of IS NULL;
CREATE INDEX webhook_deliveries_pending ON ${schema}.webhook_deliveries (next_attempt_at) WHERE delivered_at IS NULL AND gave_up_at IS NULL;
CREATE INDEX webhook_deliveries_by_subscription ON ${schema}.webhook_deliveries (trust_id, subscription_id, id);
${tenant_table:webhook_deliveries}
GRANT SELECT, INSERT, UPDATE ON ${schema}.webhook_deliveries TO ${app_role};

CREATE TABLE ${schema}.webhook_attempts (
    trust_id uuid NOT NULL,
    delivery_id uuid NOT NULL,
    attempt int NOT NULL,
    attempted_at timestamptz NOT NULL,
    status_code int NULL,
    -- The receiver's status or the failure's type (timeout, refused); never the receiver's body.
    outcome text NOT NULL,
    duration_ms int NOT NULL,
    PRIMARY KEY (trust_id, delivery_id, attempt),
    FOREIGN KEY (trust_id, delivery_id) REFERENCES ${schema}.webhook_deliveries (trust_id, id)
);
${tenant_table:webhook_attempts}
GRANT SELECT, INSERT ON ${schema}.webhook_attempts TO ${app_role};

-- The one read that crosses tenants: which trusts have deliveries due now (ids only).
CREATE FUNCTION ${schema}.webhook_due_trusts(p_now timestamptz) RETURNS SETOF uuid
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$ SELECT DISTINCT d.trust_id FROM ${schema}.webhook_deliveries d
      WHERE d.delivered_at IS NULL AND d.gave_up_at IS NULL AND d.next_attempt_at <= p_now $$;
REVOKE ALL ON FUNCTION ${schema}.webhook_due_trusts(timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ${schema}.webhook_due_trusts(timestamptz) TO ${app_role};
