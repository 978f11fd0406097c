-- The published policy itself is now the platform's published_policies (the whole PolicyPublished, one shape in
-- every service). What Training derives from the publications it has seen stays here: the acknowledgement baseline,
-- the latest major version (the first version seen counts as one), before which acknowledgements no longer count
-- (DESIGN: "a major version makes staff re-acknowledge it"). Training's own policy_views (0001) is carried over and
-- dropped; its other columns are read from published_policies from the next PolicyPublished on.
CREATE TABLE ${schema}.acknowledgement_baselines (
    trust_id uuid NOT NULL,
    school_id uuid NOT NULL,
    major_version_id uuid NOT NULL,
    major_published_at timestamptz NOT NULL,
    PRIMARY KEY (trust_id, school_id)
);
-- The migration runs as the owner, whom FORCE row-level security would show no rows: the old table is released from
-- it for the copy, and the new one gets its tenant policy after it.
ALTER TABLE ${schema}.policy_views NO FORCE ROW LEVEL SECURITY;
INSERT INTO ${schema}.acknowledgement_baselines (trust_id, school_id, major_version_id, major_published_at)
SELECT trust_id, school_id, major_version_id, major_published_at FROM ${schema}.policy_views
WHERE major_version_id IS NOT NULL AND major_published_at IS NOT NULL;
DROP TABLE ${schema}.policy_views;
${tenant_table:acknowledgement_baselines}
GRANT SELECT, INSERT, UPDATE ON ${schema}.acknowledgement_baselines TO ${app_role};
