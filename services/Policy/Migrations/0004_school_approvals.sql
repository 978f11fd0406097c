-- A school's own approval of a published trust version (000 lines 2-15: "Approved by Governing Body, 24.03.2026" beside
-- the trust's Board of Trustees). One per school and version: a second one is refused, not overwritten, so the record of
-- who approved what stays as it was signed. next_review_on is the approval date plus the school's review cycle then in
-- force (000 line 203: reviewed in 2 years), kept so a later change of cycle does not move a date already agreed.
CREATE TABLE ${schema}.school_approvals (
    trust_id uuid NOT NULL,
    school_id uuid NOT NULL,
    version_id uuid NOT NULL,
    approving_body text NOT NULL,
    approver_name text NOT NULL,
    approved_on date NOT NULL,
    next_review_on date NOT NULL,
    recorded_at timestamptz NOT NULL,
    recorded_by text NOT NULL,
    PRIMARY KEY (trust_id, school_id, version_id),
    FOREIGN KEY (trust_id, school_id) REFERENCES ${schema}.schools (trust_id, id),
    FOREIGN KEY (trust_id, version_id) REFERENCES ${schema}.policy_versions (trust_id, id)
);
${tenant_table:school_approvals}
GRANT SELECT, INSERT ON ${schema}.school_approvals TO ${app_role};
