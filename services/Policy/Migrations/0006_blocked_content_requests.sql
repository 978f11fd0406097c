-- Blocked-content access requests (002 Appendix A, lines 245-279): a member of staff asks for a blocked site for a lesson
-- or a use, for a bounded period; the role named by blocked_sites.access_approver decides once. An approved request in
-- force (allowed_from <= now < allowed_until) is an allowance in the school's blocked-sites feed and lapses by itself.
CREATE TABLE ${schema}.blocked_content_requests (
    trust_id uuid NOT NULL,
    id uuid NOT NULL,
    school_id uuid NOT NULL,
    site text NOT NULL,
    full_url text NULL,
    reason text NOT NULL,
    intended_use text NOT NULL,
    allowed_from timestamptz NOT NULL,
    allowed_until timestamptz NOT NULL,
    status text NOT NULL CHECK (status IN ('pending', 'approved', 'refused')),
    requested_at timestamptz NOT NULL,
    requested_by text NOT NULL,
    decided_at timestamptz NULL,
    decided_by text NULL,
    decided_as text NULL,
    decision_reason text NULL,
    row_version bigint NOT NULL DEFAULT 1,
    PRIMARY KEY (trust_id, id),
    FOREIGN KEY (trust_id, school_id) REFERENCES ${schema}.schools (trust_id, id),
    CHECK (allowed_until > allowed_from),
    CHECK ((status = 'pending') = (decided_at IS NULL))
);
CREATE INDEX blocked_content_requests_school ON ${schema}.blocked_content_requests (trust_id, school_id, requested_at DESC);
${tenant_table:blocked_content_requests}
GRANT SELECT, INSERT, UPDATE ON ${schema}.blocked_content_requests TO ${app_role};
