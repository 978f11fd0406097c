-- Reports now claim their Idempotency-Key in the platform table (idempotency_requests), as every creating POST does;
-- nothing reads the case's own key any more.
DROP INDEX ${schema}.cases_idempotency;
ALTER TABLE ${schema}.cases DROP COLUMN idempotency_key;

-- The published policy is kept in the platform's published_policies (the whole PolicyPublished, one shape in every service).
-- Each school's last publication moves there so a school keeps its published SLA and routing until Policy publishes
-- again; the parts Incidents never read (accounts, training) are absent from these copied messages.
-- The migration runs as the owner, whom FORCE row-level security would show no rows and let write none without a
-- trust: both tables are released from it for the copy, and the platform table gets it back.
ALTER TABLE ${schema}.school_policies NO FORCE ROW LEVEL SECURITY;
ALTER TABLE ${schema}.published_policies NO FORCE ROW LEVEL SECURITY;
INSERT INTO ${schema}.published_policies (trust_id, school_id, policy_version_id, version, published_at, message)
SELECT trust_id, school_id, policy_version_id, version, published_at,
       jsonb_build_object('eventId', policy_version_id, 'trustId', trust_id, 'schoolId', school_id, 'occurredAt', published_at,
                          'policyVersionId', policy_version_id, 'version', version, 'isMajor', false,
                          'calendar', calendar, 'sla', sla, 'routing', routing)
FROM ${schema}.school_policies
ON CONFLICT (trust_id, school_id) DO NOTHING;
ALTER TABLE ${schema}.published_policies FORCE ROW LEVEL SECURITY;
DROP TABLE ${schema}.school_policies;
