-- Account register (issue 4). Local views first (kept by idempotent consumers from Policy's and
-- Training's events), then applications, their decisions and the register itself.

-- The per-school account rules of the last PolicyPublished (000/003/004 business case; 002 Appendix C).
-- No row = no policy published yet: the catalogue defaults apply (docs/adr/0110).
CREATE TABLE ${schema}.school_policies (
    trust_id uuid NOT NULL,
    school_id uuid NOT NULL,
    policy_version_id uuid NOT NULL,
    version text NOT NULL,
    minimum_administrators int NOT NULL,
    approval_chain text[] NOT NULL,
    required_fields text[] NOT NULL,
    naming_convention text NOT NULL,
    published_at timestamptz NOT NULL,
    PRIMARY KEY (trust_id, school_id)
);

-- The roster as Accounts needs it: who is staff of which school, their roles, whether they left.
CREATE TABLE ${schema}.staff_members (
    trust_id uuid NOT NULL,
    school_id uuid NOT NULL,
    staff_id uuid NOT NULL,
    display_name text NOT NULL,
    roles text[] NOT NULL,
    left_on date NULL,
    updated_at timestamptz NOT NULL,
    PRIMARY KEY (trust_id, school_id, staff_id)
);

-- Latest state per person and course; updated_at (the event's occurred-at) lets a late, older event lose.
CREATE TABLE ${schema}.training_records (
    trust_id uuid NOT NULL,
    school_id uuid NOT NULL,
    staff_id uuid NOT NULL,
    course_code text NOT NULL,
    completed_on date NULL,
    expires_on date NULL,
    expired_on date NULL,
    updated_at timestamptz NOT NULL,
    PRIMARY KEY (trust_id, school_id, staff_id, course_code)
);

CREATE TABLE ${schema}.policy_acknowledgements (
    trust_id uuid NOT NULL,
    school_id uuid NOT NULL,
    staff_id uuid NOT NULL,
    policy_version_id uuid NOT NULL,
    version text NOT NULL,
    acknowledged_at timestamptz NOT NULL,
    PRIMARY KEY (trust_id, school_id, staff_id, policy_version_id)
);

CREATE TABLE ${schema}.applications (
    trust_id uuid NOT NULL,
    id uuid NOT NULL,
    school_id uuid NOT NULL,
    applicant_subject text NOT NULL,
    applicant_staff_id uuid NULL,
    platform text NOT NULL,
    handle text NOT NULL,
    administrators uuid[] NOT NULL,
    business_case jsonb NOT NULL,
    approval_chain text[] NOT NULL,
    current_step int NOT NULL,
    status text NOT NULL CHECK (status IN ('pending', 'approved', 'rejected')),
    policy_version text NOT NULL,
    account_id uuid NULL,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    version int NOT NULL,
    PRIMARY KEY (trust_id, id)
);
CREATE INDEX applications_school ON ${schema}.applications (trust_id, school_id, id);

-- Append-only: every approval or rejection with who and when.
CREATE TABLE ${schema}.application_decisions (
    trust_id uuid NOT NULL,
    id uuid NOT NULL,
    application_id uuid NOT NULL,
    step int NOT NULL,
    role text NOT NULL,
    outcome text NOT NULL CHECK (outcome IN ('approve', 'reject')),
    reason text NULL,
    decided_by text NOT NULL,
    decided_by_name text NULL,
    decided_by_staff_id uuid NULL,
    decided_at timestamptz NOT NULL,
    PRIMARY KEY (trust_id, id),
    UNIQUE (trust_id, application_id, step),
    FOREIGN KEY (trust_id, application_id) REFERENCES ${schema}.applications (trust_id, id)
);

-- The register. There is deliberately no column for a password: credentials live in a vault and
-- only the reference is kept (design: "never a plaintext password").
CREATE TABLE ${schema}.accounts (
    trust_id uuid NOT NULL,
    id uuid NOT NULL,
    school_id uuid NOT NULL,
    application_id uuid NOT NULL,
    platform text NOT NULL,
    handle text NOT NULL,
    url text NULL,
    official_email text NULL,
    status text NOT NULL CHECK (status IN ('live', 'at_risk', 'closed')),
    administrators uuid[] NOT NULL,
    credential_custodian uuid NULL,
    vault_reference text NULL,
    last_rotated_on date NULL,
    handover_required boolean NOT NULL DEFAULT false,
    handover_due_on date NULL,
    leaving_staff_ids uuid[] NOT NULL DEFAULT '{}',
    rotation_required boolean NOT NULL DEFAULT false,
    rotation_required_since timestamptz NULL,
    review_date date NULL,
    evaluation_notes text NULL,
    closed_reason text NULL,
    closed_by text NULL,
    closed_at timestamptz NULL,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    version int NOT NULL,
    PRIMARY KEY (trust_id, id),
    FOREIGN KEY (trust_id, application_id) REFERENCES ${schema}.applications (trust_id, id)
);
CREATE INDEX accounts_school ON ${schema}.accounts (trust_id, school_id, id);
-- One open account per platform and handle in a trust.
CREATE UNIQUE INDEX accounts_handle ON ${schema}.accounts (trust_id, platform, lower(handle)) WHERE status <> 'closed';

ALTER TABLE ${schema}.school_policies ENABLE ROW LEVEL SECURITY;
ALTER TABLE ${schema}.school_policies FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON ${schema}.school_policies
    USING (trust_id = ${current_trust}) WITH CHECK (trust_id = ${current_trust});
ALTER TABLE ${schema}.staff_members ENABLE ROW LEVEL SECURITY;
ALTER TABLE ${schema}.staff_members FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON ${schema}.staff_members
    USING (trust_id = ${current_trust}) WITH CHECK (trust_id = ${current_trust});
ALTER TABLE ${schema}.training_records ENABLE ROW LEVEL SECURITY;
ALTER TABLE ${schema}.training_records FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON ${schema}.training_records
    USING (trust_id = ${current_trust}) WITH CHECK (trust_id = ${current_trust});
ALTER TABLE ${schema}.policy_acknowledgements ENABLE ROW LEVEL SECURITY;
ALTER TABLE ${schema}.policy_acknowledgements FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON ${schema}.policy_acknowledgements
    USING (trust_id = ${current_trust}) WITH CHECK (trust_id = ${current_trust});
ALTER TABLE ${schema}.applications ENABLE ROW LEVEL SECURITY;
ALTER TABLE ${schema}.applications FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON ${schema}.applications
    USING (trust_id = ${current_trust}) WITH CHECK (trust_id = ${current_trust});
ALTER TABLE ${schema}.application_decisions ENABLE ROW LEVEL SECURITY;
ALTER TABLE ${schema}.application_decisions FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON ${schema}.application_decisions
    USING (trust_id = ${current_trust}) WITH CHECK (trust_id = ${current_trust});
ALTER TABLE ${schema}.accounts ENABLE ROW LEVEL SECURITY;
ALTER TABLE ${schema}.accounts FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON ${schema}.accounts
    USING (trust_id = ${current_trust}) WITH CHECK (trust_id = ${current_trust});

REVOKE ALL ON ${schema}.school_policies, ${schema}.staff_members, ${schema}.training_records, ${schema}.policy_acknowledgements,
    ${schema}.applications, ${schema}.application_decisions, ${schema}.accounts FROM PUBLIC;
GRANT SELECT, INSERT, UPDATE ON ${schema}.school_policies, ${schema}.staff_members, ${schema}.training_records,
    ${schema}.policy_acknowledgements, ${schema}.applications, ${schema}.accounts TO ${app_role};
-- Decisions are a record: the service may add them, never change them.
GRANT SELECT, INSERT ON ${schema}.application_decisions TO ${app_role};
