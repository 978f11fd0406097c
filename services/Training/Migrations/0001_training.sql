-- Training records (issue 6): roster, local policy view, courses, completions, acknowledgements,
-- event-raised requirements, cohort sessions. Every table is tenant-owned under RLS (docs/adr/0001).

-- The roster: staff, volunteers and governors per school. mis_id is the MIS's own key, unique per school,
-- so a sync upserts on it (docs/adr/0130).
CREATE TABLE ${schema}.people (
    trust_id uuid NOT NULL,
    id uuid NOT NULL,
    school_id uuid NOT NULL,
    mis_id text NULL,
    display_name text NOT NULL,
    person_type text NOT NULL,
    roles text[] NOT NULL DEFAULT '{}',
    start_date date NOT NULL,
    leave_date date NULL,
    -- Set when StaffLeft was emitted, so a leaver is announced once.
    left_at timestamptz NULL,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    PRIMARY KEY (trust_id, id)
);
CREATE UNIQUE INDEX people_mis_id ON ${schema}.people (trust_id, school_id, mis_id);
CREATE INDEX people_school_updated ON ${schema}.people (trust_id, school_id, updated_at, id);

CREATE TABLE ${schema}.roster_jobs (
    trust_id uuid NOT NULL,
    id uuid NOT NULL,
    school_id uuid NOT NULL,
    status text NOT NULL,
    format text NOT NULL,
    total int NOT NULL,
    processed int NOT NULL,
    joined int NOT NULL DEFAULT 0,
    updated int NOT NULL DEFAULT 0,
    role_changed int NOT NULL DEFAULT 0,
    left_count int NOT NULL DEFAULT 0,
    unchanged int NOT NULL DEFAULT 0,
    rejected int NOT NULL DEFAULT 0,
    errors jsonb NOT NULL DEFAULT '[]'::jsonb,
    created_at timestamptz NOT NULL,
    finished_at timestamptz NULL,
    PRIMARY KEY (trust_id, id)
);

-- The effective training settings of a school, from the latest PolicyPublished (PolicyDefaults until then).
CREATE TABLE ${schema}.policy_views (
    trust_id uuid NOT NULL,
    school_id uuid NOT NULL,
    policy_version_id uuid NOT NULL,
    version text NOT NULL,
    published_at timestamptz NOT NULL,
    -- The latest major version: acknowledgements of versions published before it no longer count.
    major_version_id uuid NULL,
    major_published_at timestamptz NULL,
    induction_window_days int NOT NULL,
    refresher_cadence text NOT NULL,
    pupil_education_cadence text NOT NULL,
    parent_session_cadence text NOT NULL,
    refresher_after_significant_incident boolean NOT NULL,
    time_zone text NOT NULL,
    terms jsonb NOT NULL DEFAULT '[]'::jsonb,
    PRIMARY KEY (trust_id, school_id)
);

CREATE TABLE ${schema}.policy_versions (
    trust_id uuid NOT NULL,
    policy_version_id uuid NOT NULL,
    school_id uuid NOT NULL,
    version text NOT NULL,
    is_major boolean NOT NULL,
    published_at timestamptz NOT NULL,
    PRIMARY KEY (trust_id, policy_version_id, school_id)
);

CREATE TABLE ${schema}.courses (
    trust_id uuid NOT NULL,
    id uuid NOT NULL,
    code text NOT NULL,
    title text NOT NULL,
    validity_months int NULL,
    created_at timestamptz NOT NULL,
    PRIMARY KEY (trust_id, id)
);
CREATE UNIQUE INDEX courses_code ON ${schema}.courses (trust_id, code);

CREATE TABLE ${schema}.completions (
    trust_id uuid NOT NULL,
    id uuid NOT NULL,
    school_id uuid NOT NULL,
    person_id uuid NOT NULL,
    course_id uuid NOT NULL,
    course_code text NOT NULL,
    completed_on date NOT NULL,
    provider text NOT NULL,
    evidence_reference text NULL,
    score numeric(6,2) NULL,
    expires_on date NULL,
    expired_at timestamptz NULL,
    created_at timestamptz NOT NULL,
    PRIMARY KEY (trust_id, id)
);
CREATE INDEX completions_person ON ${schema}.completions (trust_id, person_id, course_code, completed_on);
CREATE INDEX completions_expiring ON ${schema}.completions (expires_on) WHERE expired_at IS NULL AND expires_on IS NOT NULL;

CREATE TABLE ${schema}.acknowledgements (
    trust_id uuid NOT NULL,
    id uuid NOT NULL,
    school_id uuid NOT NULL,
    person_id uuid NOT NULL,
    policy_version_id uuid NOT NULL,
    version text NOT NULL,
    acknowledged_at timestamptz NOT NULL,
    PRIMARY KEY (trust_id, id)
);
CREATE UNIQUE INDEX acknowledgements_once ON ${schema}.acknowledgements (trust_id, person_id, policy_version_id);

-- Requirements raised by events rather than by the calendar: platform training for an account's
-- administrators (AccountApproved) and a refresher for a school's staff after a significant incident (002).
-- person_id NULL means every person of the school who was on the roster when it was raised.
CREATE TABLE ${schema}.requirement_triggers (
    trust_id uuid NOT NULL,
    id uuid NOT NULL,
    school_id uuid NOT NULL,
    person_id uuid NULL,
    requirement text NOT NULL,
    course_code text NOT NULL,
    source_id uuid NOT NULL,
    raised_on date NOT NULL,
    due_on date NOT NULL,
    created_at timestamptz NOT NULL,
    PRIMARY KEY (trust_id, id)
);
CREATE INDEX requirement_triggers_school ON ${schema}.requirement_triggers (trust_id, school_id, requirement, raised_on);

-- Pupil and parent sessions: cohorts and attendance counts only, never individual pupils.
CREATE TABLE ${schema}.cohort_sessions (
    trust_id uuid NOT NULL,
    id uuid NOT NULL,
    school_id uuid NOT NULL,
    audience text NOT NULL,
    year_group text NULL,
    class_name text NULL,
    topic text NOT NULL,
    held_on date NOT NULL,
    delivered_by text NOT NULL,
    attendance_count int NULL,
    created_at timestamptz NOT NULL,
    PRIMARY KEY (trust_id, id)
);

ALTER TABLE ${schema}.people ENABLE ROW LEVEL SECURITY;
ALTER TABLE ${schema}.people FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON ${schema}.people USING (trust_id = ${current_trust}) WITH CHECK (trust_id = ${current_trust});
REVOKE ALL ON ${schema}.people FROM PUBLIC;
GRANT SELECT, INSERT, UPDATE ON ${schema}.people TO ${app_role};

ALTER TABLE ${schema}.roster_jobs ENABLE ROW LEVEL SECURITY;
ALTER TABLE ${schema}.roster_jobs FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON ${schema}.roster_jobs USING (trust_id = ${current_trust}) WITH CHECK (trust_id = ${current_trust});
REVOKE ALL ON ${schema}.roster_jobs FROM PUBLIC;
GRANT SELECT, INSERT, UPDATE ON ${schema}.roster_jobs TO ${app_role};

ALTER TABLE ${schema}.policy_views ENABLE ROW LEVEL SECURITY;
ALTER TABLE ${schema}.policy_views FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON ${schema}.policy_views USING (trust_id = ${current_trust}) WITH CHECK (trust_id = ${current_trust});
REVOKE ALL ON ${schema}.policy_views FROM PUBLIC;
GRANT SELECT, INSERT, UPDATE ON ${schema}.policy_views TO ${app_role};

ALTER TABLE ${schema}.policy_versions ENABLE ROW LEVEL SECURITY;
ALTER TABLE ${schema}.policy_versions FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON ${schema}.policy_versions USING (trust_id = ${current_trust}) WITH CHECK (trust_id = ${current_trust});
REVOKE ALL ON ${schema}.policy_versions FROM PUBLIC;
GRANT SELECT, INSERT, UPDATE ON ${schema}.policy_versions TO ${app_role};

ALTER TABLE ${schema}.courses ENABLE ROW LEVEL SECURITY;
ALTER TABLE ${schema}.courses FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON ${schema}.courses USING (trust_id = ${current_trust}) WITH CHECK (trust_id = ${current_trust});
REVOKE ALL ON ${schema}.courses FROM PUBLIC;
GRANT SELECT, INSERT, UPDATE ON ${schema}.courses TO ${app_role};

ALTER TABLE ${schema}.completions ENABLE ROW LEVEL SECURITY;
ALTER TABLE ${schema}.completions FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON ${schema}.completions USING (trust_id = ${current_trust}) WITH CHECK (trust_id = ${current_trust});
REVOKE ALL ON ${schema}.completions FROM PUBLIC;
GRANT SELECT, INSERT, UPDATE ON ${schema}.completions TO ${app_role};

ALTER TABLE ${schema}.acknowledgements ENABLE ROW LEVEL SECURITY;
ALTER TABLE ${schema}.acknowledgements FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON ${schema}.acknowledgements USING (trust_id = ${current_trust}) WITH CHECK (trust_id = ${current_trust});
REVOKE ALL ON ${schema}.acknowledgements FROM PUBLIC;
GRANT SELECT, INSERT, UPDATE ON ${schema}.acknowledgements TO ${app_role};

ALTER TABLE ${schema}.requirement_triggers ENABLE ROW LEVEL SECURITY;
ALTER TABLE ${schema}.requirement_triggers FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON ${schema}.requirement_triggers USING (trust_id = ${current_trust}) WITH CHECK (trust_id = ${current_trust});
REVOKE ALL ON ${schema}.requirement_triggers FROM PUBLIC;
GRANT SELECT, INSERT, UPDATE ON ${schema}.requirement_triggers TO ${app_role};

ALTER TABLE ${schema}.cohort_sessions ENABLE ROW LEVEL SECURITY;
ALTER TABLE ${schema}.cohort_sessions FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON ${schema}.cohort_sessions USING (trust_id = ${current_trust}) WITH CHECK (trust_id = ${current_trust});
REVOKE ALL ON ${schema}.cohort_sessions FROM PUBLIC;
GRANT SELECT, INSERT, UPDATE ON ${schema}.cohort_sessions TO ${app_role};


-- The expiry sweeper runs outside any request, so it has no tenant: this lists only the trusts that
-- have a completion to expire (ids, nothing else), and the sweeper then acts for each trust under RLS.
CREATE FUNCTION ${schema}.trusts_with_expiring_completions(p_today date)
RETURNS TABLE (trust_id uuid)
LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
    SELECT DISTINCT c.trust_id FROM ${schema}.completions c
    WHERE c.expired_at IS NULL AND c.expires_on IS NOT NULL AND c.expires_on < p_today
$$;
REVOKE ALL ON FUNCTION ${schema}.trusts_with_expiring_completions(date) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ${schema}.trusts_with_expiring_completions(date) TO ${app_role};
