-- Incident case management (issue 5). Every table is tenant-owned: trust_id, RLS enabled and forced.

-- The local view of each school's effective policy, from PolicyPublished (catalogue defaults until one arrives).
CREATE TABLE ${schema}.school_policies (
    trust_id uuid NOT NULL,
    school_id uuid NOT NULL,
    policy_version_id uuid NOT NULL,
    version text NOT NULL,
    calendar jsonb NOT NULL,
    sla jsonb NOT NULL,
    routing jsonb NOT NULL,
    published_at timestamptz NOT NULL,
    PRIMARY KEY (trust_id, school_id)
);

CREATE TABLE ${schema}.cases (
    trust_id uuid NOT NULL,
    id uuid NOT NULL,
    school_id uuid NOT NULL,
    case_type text NOT NULL,
    status text NOT NULL,
    restricted boolean NOT NULL,
    about_headteacher boolean NOT NULL,
    chair_informed boolean NOT NULL,
    summary text NOT NULL,
    subject_kind text NOT NULL,
    subject_ref text NULL,
    subject_relationship text NULL,
    date_of_birth date NULL,
    details jsonb NOT NULL,
    assigned_role text NOT NULL,
    reporter_subject text NOT NULL,
    reporter_key_id uuid NULL,
    received_at timestamptz NOT NULL,
    due_at timestamptz NULL,
    overdue_at timestamptz NULL,
    escalation_step text NULL,
    outcome text NULL,
    significant boolean NULL,
    closed_at timestamptz NULL,
    retention_until date NULL,
    legal_hold boolean NOT NULL DEFAULT false,
    legal_hold_reason text NULL,
    timeline_count int NOT NULL DEFAULT 0,
    timeline_head bytea NULL,
    created_at timestamptz NOT NULL,
    version int NOT NULL,
    PRIMARY KEY (trust_id, id)
);
CREATE UNIQUE INDEX cases_id ON ${schema}.cases (id);
CREATE INDEX cases_school ON ${schema}.cases (trust_id, school_id, id);
CREATE INDEX cases_due ON ${schema}.cases (due_at) WHERE status = 'open' AND overdue_at IS NULL AND due_at IS NOT NULL;

-- Append-only: the app role may insert and read, never update or delete. Each entry's hash covers the
-- previous entry's hash and its own content, so a changed or removed row breaks the chain.
CREATE TABLE ${schema}.case_timeline (
    trust_id uuid NOT NULL,
    case_id uuid NOT NULL,
    seq int NOT NULL,
    kind text NOT NULL,
    at timestamptz NOT NULL,
    actor text NOT NULL,
    actor_role text NOT NULL,
    body text NOT NULL,
    previous_hash bytea NOT NULL,
    hash bytea NOT NULL,
    PRIMARY KEY (trust_id, case_id, seq),
    FOREIGN KEY (trust_id, case_id) REFERENCES ${schema}.cases (trust_id, id)
);

CREATE TABLE ${schema}.case_audit (
    trust_id uuid NOT NULL,
    id uuid NOT NULL,
    school_id uuid NOT NULL,
    case_id uuid NOT NULL,
    actor text NOT NULL,
    actor_role text NOT NULL,
    action text NOT NULL,
    at timestamptz NOT NULL,
    PRIMARY KEY (trust_id, id)
);
CREATE INDEX case_audit_school ON ${schema}.case_audit (trust_id, school_id, id);

CREATE TABLE ${schema}.evidence (
    trust_id uuid NOT NULL,
    id uuid NOT NULL,
    case_id uuid NOT NULL,
    file_name text NOT NULL,
    content_type text NOT NULL,
    size_bytes bigint NOT NULL,
    sha256 bytea NOT NULL,
    captured_at timestamptz NOT NULL,
    uploaded_at timestamptz NOT NULL,
    uploader text NOT NULL,
    storage_key text NOT NULL,
    PRIMARY KEY (trust_id, id),
    FOREIGN KEY (trust_id, case_id) REFERENCES ${schema}.cases (trust_id, id)
);

ALTER TABLE ${schema}.school_policies ENABLE ROW LEVEL SECURITY;
ALTER TABLE ${schema}.school_policies FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON ${schema}.school_policies
    USING (trust_id = ${current_trust}) WITH CHECK (trust_id = ${current_trust});
ALTER TABLE ${schema}.cases ENABLE ROW LEVEL SECURITY;
ALTER TABLE ${schema}.cases FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON ${schema}.cases
    USING (trust_id = ${current_trust}) WITH CHECK (trust_id = ${current_trust});
ALTER TABLE ${schema}.case_timeline ENABLE ROW LEVEL SECURITY;
ALTER TABLE ${schema}.case_timeline FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON ${schema}.case_timeline
    USING (trust_id = ${current_trust}) WITH CHECK (trust_id = ${current_trust});
ALTER TABLE ${schema}.case_audit ENABLE ROW LEVEL SECURITY;
ALTER TABLE ${schema}.case_audit FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON ${schema}.case_audit
    USING (trust_id = ${current_trust}) WITH CHECK (trust_id = ${current_trust});
ALTER TABLE ${schema}.evidence ENABLE ROW LEVEL SECURITY;
ALTER TABLE ${schema}.evidence FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON ${schema}.evidence
    USING (trust_id = ${current_trust}) WITH CHECK (trust_id = ${current_trust});

REVOKE ALL ON ${schema}.school_policies, ${schema}.cases, ${schema}.case_timeline, ${schema}.case_audit, ${schema}.evidence FROM PUBLIC;
GRANT SELECT, INSERT, UPDATE ON ${schema}.school_policies, ${schema}.cases TO ${app_role};
-- Timeline, audit and evidence metadata are append-only for the app role.
GRANT SELECT, INSERT ON ${schema}.case_timeline, ${schema}.case_audit, ${schema}.evidence TO ${app_role};

-- The overdue scanner runs outside any request: it learns which (trust, school) pairs have open cases past
-- their due time through this function (ids only, no case data), then acts for each trust explicitly.
CREATE FUNCTION ${schema}.sla_due_schools(p_now timestamptz)
RETURNS TABLE (trust_id uuid, school_id uuid)
LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
    SELECT DISTINCT c.trust_id, c.school_id FROM ${schema}.cases c
    WHERE c.status = 'open' AND c.overdue_at IS NULL AND c.due_at IS NOT NULL AND c.due_at <= p_now
$$;
REVOKE ALL ON FUNCTION ${schema}.sla_due_schools(timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ${schema}.sla_due_schools(timestamptz) TO ${app_role};
