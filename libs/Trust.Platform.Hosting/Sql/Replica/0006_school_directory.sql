-- The local school directory of a service that does not own schools (all but Policy), fed by
-- SchoolAdded/SchoolUpdated. version lets a late, older update lose against a newer one.
CREATE TABLE ${schema}.school_directory (
    trust_id uuid NOT NULL,
    school_id uuid NOT NULL,
    name text NOT NULL,
    urn text NOT NULL,
    phase text NOT NULL,
    local_authority text NULL,
    time_zone text NOT NULL,
    version int NOT NULL,
    updated_at timestamptz NOT NULL,
    PRIMARY KEY (trust_id, school_id)
);
ALTER TABLE ${schema}.school_directory ENABLE ROW LEVEL SECURITY;
ALTER TABLE ${schema}.school_directory FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON ${schema}.school_directory
    USING (trust_id = ${current_trust}) WITH CHECK (trust_id = ${current_trust});
REVOKE ALL ON ${schema}.school_directory FROM PUBLIC;
GRANT SELECT, INSERT, UPDATE ON ${schema}.school_directory TO ${app_role};
