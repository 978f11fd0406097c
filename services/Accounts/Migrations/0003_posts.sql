-- Post approvals (002 l.141-159): a draft post for an official account waits for a holder of a role the school's
-- accounts.who_may_post names, who approves it (possibly with an edited final text) or rejects it with a reason.
-- Both texts stay: what the member of staff wrote and what was approved.
CREATE TABLE ${schema}.posts (
    trust_id uuid NOT NULL,
    id uuid NOT NULL,
    school_id uuid NOT NULL,
    account_id uuid NOT NULL,
    submitted_by text NOT NULL,
    submitted_by_name text NULL,
    submitted_by_staff_id uuid NULL,
    text text NOT NULL,
    category text NOT NULL,
    publish_at timestamptz NOT NULL,
    media_description text NULL,
    approver_roles text[] NOT NULL,
    tone_keywords text[] NOT NULL,
    policy_version text NOT NULL,
    status text NOT NULL CHECK (status IN ('pending', 'approved', 'rejected')),
    final_text text NULL,
    tone_confirmed text[] NOT NULL DEFAULT '{}',
    decision_reason text NULL,
    decided_by text NULL,
    decided_by_name text NULL,
    decided_by_staff_id uuid NULL,
    decided_at timestamptz NULL,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    version int NOT NULL,
    PRIMARY KEY (trust_id, id),
    FOREIGN KEY (trust_id, account_id) REFERENCES ${schema}.accounts (trust_id, id),
    -- A decision is whole: who, when and the outcome together; an approval keeps its final text.
    CHECK ((status = 'pending') = (decided_at IS NULL)),
    CHECK (status <> 'approved' OR final_text IS NOT NULL),
    CHECK (status <> 'rejected' OR decision_reason IS NOT NULL)
);
CREATE INDEX posts_school ON ${schema}.posts (trust_id, school_id, id);
CREATE INDEX posts_account ON ${schema}.posts (trust_id, account_id, id);
${tenant_table:posts}
GRANT SELECT, INSERT, UPDATE ON ${schema}.posts TO ${app_role};
