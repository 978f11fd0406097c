-- Reports now claim their Idempotency-Key in the platform table (idempotency_requests), as every creating POST does;
-- nothing reads the case's own key any more.
DROP INDEX ${schema}.cases_idempotency;
ALTER TABLE ${schema}.cases DROP COLUMN idempotency_key;

-- The published policy is kept in the platform's policy_views (the whole PolicyPublished, one shape in every service).
-- Each school's last publication moves there so a school keeps its published SLA and routing until Policy publishes
-- again; the parts Incidents never read (accounts, training) are absent from these copied messages.
INSERT INTO ${schema}.policy_views (trust_id, school_id, policy_version_id, version, published_at, message)
SELECT trust_id, school_id, policy_version_id, version, published_at,
       jsonb_build_object('eventId', policy_version_id, 'trustId', trust_id, 'schoolId', school_id, 'occurredAt', published_at,
                          'policyVersionId', policy_version_id, 'version', version, 'isMajor', false,
                          'calendar', calendar, 'sla', sla, 'routing', routing)
FROM ${schema}.school_policies
ON CONFLICT (trust_id, school_id) DO NOTHING;
DROP TABLE ${schema}.school_policies;
