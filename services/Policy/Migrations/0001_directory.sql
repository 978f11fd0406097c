-- The trust/school directory (issue 2). The trust row is the tenant itself: its key is trust_id, so the
-- same RLS policy shape covers it.
CREATE TABLE ${schema}.trusts (
    trust_id uuid PRIMARY KEY,
    name text NOT NULL,
    created_at timestamptz NOT NULL,
    version int NOT NULL DEFAULT 1
);

CREATE TABLE ${schema}.trust_members (
    trust_id uuid NOT NULL REFERENCES ${schema}.trusts (trust_id),
    id uuid NOT NULL,
    display_name text NOT NULL,
    email text NOT NULL,
    roles text[] NOT NULL,
    created_at timestamptz NOT NULL,
    PRIMARY KEY (trust_id, id),
    UNIQUE (trust_id, email)
);

CREATE TABLE ${schema}.schools (
    trust_id uuid NOT NULL REFERENCES ${schema}.trusts (trust_id),
    id uuid NOT NULL,
    name text NOT NULL,
    urn text NOT NULL CHECK (urn ~ '^[0-9]{6}$'),
    phase text NOT NULL,
    local_authority text NULL,
    time_zone text NOT NULL,
    version int NOT NULL,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    PRIMARY KEY (trust_id, id),
    UNIQUE (trust_id, urn)
);
CREATE UNIQUE INDEX schools_id ON ${schema}.schools (id);

ALTER TABLE ${schema}.api_keys ADD FOREIGN KEY (trust_id) REFERENCES ${schema}.trusts (trust_id);

ALTER TABLE ${schema}.trusts ENABLE ROW LEVEL SECURITY;
ALTER TABLE ${schema}.trusts FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON ${schema}.trusts
    USING (trust_id = ${current_trust}) WITH CHECK (trust_id = ${current_trust});

ALTER TABLE ${schema}.trust_members ENABLE ROW LEVEL SECURITY;
ALTER TABLE ${schema}.trust_members FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON ${schema}.trust_members
    USING (trust_id = ${current_trust}) WITH CHECK (trust_id = ${current_trust});

ALTER TABLE ${schema}.schools ENABLE ROW LEVEL SECURITY;
ALTER TABLE ${schema}.schools FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON ${schema}.schools
    USING (trust_id = ${current_trust}) WITH CHECK (trust_id = ${current_trust});

REVOKE ALL ON ${schema}.trusts, ${schema}.trust_members, ${schema}.schools FROM PUBLIC;
GRANT SELECT, INSERT, UPDATE ON ${schema}.trusts, ${schema}.trust_members, ${schema}.schools TO ${app_role};
