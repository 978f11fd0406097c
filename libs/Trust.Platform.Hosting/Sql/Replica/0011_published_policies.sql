-- The latest PolicyPublished of each school, kept whole, in every service that acts on the published policy (all
-- but Policy). One shape for every service: each reads the parts it needs (PolicyViews.FindAsync). published_at lets
-- a late, older publication lose against a newer one.
CREATE TABLE ${schema}.published_policies (
    trust_id uuid NOT NULL,
    school_id uuid NOT NULL,
    policy_version_id uuid NOT NULL,
    version text NOT NULL,
    published_at timestamptz NOT NULL,
    message jsonb NOT NULL,
    PRIMARY KEY (trust_id, school_id)
);
${tenant_table:published_policies}
GRANT SELECT, INSERT, UPDATE ON ${schema}.published_policies TO ${app_role};
