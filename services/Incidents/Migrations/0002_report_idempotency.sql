-- Integrations may retry a report (DESIGN: "Writes that an integration may retry accept Idempotency-Key"):
-- the same key from the same reporter returns the first case instead of filing a second one.
ALTER TABLE ${schema}.cases ADD COLUMN idempotency_key text NULL;
CREATE UNIQUE INDEX cases_idempotency ON ${schema}.cases
    (trust_id, school_id, coalesce(reporter_key_id::text, reporter_subject), idempotency_key)
    WHERE idempotency_key IS NOT NULL;
