-- The notices a sweep has already asked to be sent (training falling due, the weekly digest of who is behind), one row
-- per notice key, claimed in the transaction that writes the NotificationRequested to the outbox: a sweep that runs
-- again, on this replica or another, finds the key taken and sends nothing twice.
CREATE TABLE ${schema}.notices_sent (
    trust_id uuid NOT NULL,
    notice_key text NOT NULL,
    sent_at timestamptz NOT NULL,
    PRIMARY KEY (trust_id, notice_key)
);
${tenant_table:notices_sent}
GRANT SELECT, INSERT ON ${schema}.notices_sent TO ${app_role};
