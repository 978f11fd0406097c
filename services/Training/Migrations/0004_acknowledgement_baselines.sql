-- The published policy itself is the platform's policy_views (the whole PolicyPublished, one shape in every service);
-- 0001 no longer creates Training's own table of that name. What Training derives from the publications it has seen
-- stays here: the acknowledgement baseline, the latest major version (the first version seen counts as one), before
-- which acknowledgements no longer count (DESIGN: "a major version makes staff re-acknowledge it").
CREATE TABLE ${schema}.acknowledgement_baselines (
    trust_id uuid NOT NULL,
    school_id uuid NOT NULL,
    major_version_id uuid NOT NULL,
    major_published_at timestamptz NOT NULL,
    PRIMARY KEY (trust_id, school_id)
);
${tenant_table:acknowledgement_baselines}
GRANT SELECT, INSERT, UPDATE ON ${schema}.acknowledgement_baselines TO ${app_role};
