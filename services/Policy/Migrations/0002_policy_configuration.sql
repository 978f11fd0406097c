-- Policy configuration (issue 3): the trust baseline and its rules, school overrides, versions,
-- the document template with school amendments, and review reminders. Values are JSON, validated
-- by the setting catalogue in code. A setting without a baseline row has the catalogue default.
CREATE TABLE ${schema}.trust_policies (
    trust_id uuid PRIMARY KEY REFERENCES ${schema}.trusts (trust_id),
    version int NOT NULL,
    template text NULL,
    template_version int NOT NULL DEFAULT 0,
    updated_at timestamptz NOT NULL
);

CREATE TABLE ${schema}.baseline_settings (
    trust_id uuid NOT NULL REFERENCES ${schema}.trust_policies (trust_id),
    key text NOT NULL,
    value_json jsonb NULL,
    rule text NOT NULL CHECK (rule IN ('locked', 'free', 'tighten_only', 'union_only')),
    updated_at timestamptz NOT NULL,
    updated_by text NOT NULL,
    since text NULL,
    PRIMARY KEY (trust_id, key)
);

CREATE TABLE ${schema}.school_policies (
    trust_id uuid NOT NULL,
    school_id uuid NOT NULL,
    version int NOT NULL,
    updated_at timestamptz NOT NULL,
    PRIMARY KEY (trust_id, school_id),
    FOREIGN KEY (trust_id, school_id) REFERENCES ${schema}.schools (trust_id, id)
);

CREATE TABLE ${schema}.school_overrides (
    trust_id uuid NOT NULL,
    school_id uuid NOT NULL,
    key text NOT NULL,
    value_json jsonb NULL,
    updated_at timestamptz NOT NULL,
    updated_by text NOT NULL,
    since text NULL,
    PRIMARY KEY (trust_id, school_id, key),
    FOREIGN KEY (trust_id, school_id) REFERENCES ${schema}.school_policies (trust_id, school_id)
);

CREATE TABLE ${schema}.section_amendments (
    trust_id uuid NOT NULL,
    school_id uuid NOT NULL,
    section_id text NOT NULL,
    markdown text NOT NULL,
    needs_review boolean NOT NULL DEFAULT false,
    updated_at timestamptz NOT NULL,
    updated_by text NOT NULL,
    PRIMARY KEY (trust_id, school_id, section_id),
    FOREIGN KEY (trust_id, school_id) REFERENCES ${schema}.school_policies (trust_id, school_id)
);

CREATE TABLE ${schema}.policy_versions (
    trust_id uuid NOT NULL REFERENCES ${schema}.trust_policies (trust_id),
    id uuid NOT NULL,
    major int NOT NULL,
    minor int NOT NULL,
    kind text NOT NULL CHECK (kind IN ('major', 'minor')),
    status text NOT NULL CHECK (status IN ('draft', 'approved', 'published', 'superseded')),
    summary text NOT NULL,
    created_at timestamptz NOT NULL,
    created_by text NOT NULL,
    approved_by_name text NULL,
    approved_by_body text NULL,
    approved_on date NULL,
    published_at timestamptz NULL,
    snapshot jsonb NULL,
    row_version int NOT NULL DEFAULT 1,
    PRIMARY KEY (trust_id, id),
    UNIQUE (trust_id, major, minor)
);
-- At most one open draft or approved version per trust at a time.
CREATE UNIQUE INDEX policy_versions_one_open ON ${schema}.policy_versions (trust_id) WHERE status IN ('draft', 'approved');

CREATE TABLE ${schema}.review_reminders (
    trust_id uuid NOT NULL,
    school_id uuid NOT NULL,
    review_date date NOT NULL,
    reminder text NOT NULL,
    emitted_at timestamptz NOT NULL,
    PRIMARY KEY (trust_id, school_id, review_date, reminder)
);

ALTER TABLE ${schema}.trust_policies ENABLE ROW LEVEL SECURITY;
ALTER TABLE ${schema}.trust_policies FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON ${schema}.trust_policies
    USING (trust_id = ${current_trust}) WITH CHECK (trust_id = ${current_trust});

ALTER TABLE ${schema}.baseline_settings ENABLE ROW LEVEL SECURITY;
ALTER TABLE ${schema}.baseline_settings FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON ${schema}.baseline_settings
    USING (trust_id = ${current_trust}) WITH CHECK (trust_id = ${current_trust});

ALTER TABLE ${schema}.school_policies ENABLE ROW LEVEL SECURITY;
ALTER TABLE ${schema}.school_policies FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON ${schema}.school_policies
    USING (trust_id = ${current_trust}) WITH CHECK (trust_id = ${current_trust});

ALTER TABLE ${schema}.school_overrides ENABLE ROW LEVEL SECURITY;
ALTER TABLE ${schema}.school_overrides FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON ${schema}.school_overrides
    USING (trust_id = ${current_trust}) WITH CHECK (trust_id = ${current_trust});

ALTER TABLE ${schema}.section_amendments ENABLE ROW LEVEL SECURITY;
ALTER TABLE ${schema}.section_amendments FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON ${schema}.section_amendments
    USING (trust_id = ${current_trust}) WITH CHECK (trust_id = ${current_trust});

ALTER TABLE ${schema}.policy_versions ENABLE ROW LEVEL SECURITY;
ALTER TABLE ${schema}.policy_versions FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON ${schema}.policy_versions
    USING (trust_id = ${current_trust}) WITH CHECK (trust_id = ${current_trust});

ALTER TABLE ${schema}.review_reminders ENABLE ROW LEVEL SECURITY;
ALTER TABLE ${schema}.review_reminders FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON ${schema}.review_reminders
    USING (trust_id = ${current_trust}) WITH CHECK (trust_id = ${current_trust});

REVOKE ALL ON ${schema}.trust_policies, ${schema}.baseline_settings, ${schema}.school_policies, ${schema}.school_overrides, ${schema}.section_amendments, ${schema}.policy_versions, ${schema}.review_reminders FROM PUBLIC;

GRANT SELECT, INSERT, UPDATE ON ${schema}.trust_policies, ${schema}.baseline_settings, ${schema}.school_policies, ${schema}.school_overrides, ${schema}.section_amendments, ${schema}.policy_versions, ${schema}.review_reminders TO ${app_role};
-- Clearing an override or an amendment deletes its row.
GRANT DELETE ON ${schema}.school_overrides, ${schema}.section_amendments TO ${app_role};

-- The review scheduler runs outside any request and must visit every trust; this returns only ids.
CREATE FUNCTION ${schema}.trust_ids() RETURNS SETOF uuid
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$ SELECT trust_id FROM ${schema}.trusts $$;
REVOKE ALL ON FUNCTION ${schema}.trust_ids() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ${schema}.trust_ids() TO ${app_role};
