-- Members and their appointments. A member is a person of the trust: the OIDC subject (and, when the trust names
-- it, the issuer) they sign in with, and their roster person id when they are on a school's staff. An appointment is
-- a post they hold at a school (or, for the trust admin, across the trust) between two dates; the other services
-- resolve a signed-in member's roles from their replica of these (MemberChanged, AppointmentStarted, AppointmentEnded).
ALTER TABLE ${schema}.trust_members
    ADD COLUMN subject text NULL,
    ADD COLUMN issuer text NULL,
    ADD COLUMN staff_id uuid NULL,
    ADD COLUMN version int NOT NULL DEFAULT 1,
    ADD COLUMN updated_at timestamptz NULL,
    ADD COLUMN invited_by text NULL;
UPDATE ${schema}.trust_members SET updated_at = created_at;
ALTER TABLE ${schema}.trust_members ALTER COLUMN updated_at SET NOT NULL;
-- One member per sign-in within a trust (a null issuer counts as its own value).
CREATE UNIQUE INDEX trust_members_subject ON ${schema}.trust_members (trust_id, coalesce(issuer, ''), subject) WHERE subject IS NOT NULL;
CREATE UNIQUE INDEX trust_members_staff ON ${schema}.trust_members (trust_id, staff_id) WHERE staff_id IS NOT NULL;

CREATE TABLE ${schema}.appointments (
    trust_id uuid NOT NULL,
    id uuid NOT NULL,
    member_id uuid NOT NULL,
    school_id uuid NULL,
    role text NOT NULL,
    job_title text NULL,
    starts_on date NOT NULL,
    ends_on date NULL CHECK (ends_on IS NULL OR ends_on >= starts_on),
    ended_at timestamptz NULL,
    end_reason text NULL,
    version int NOT NULL,
    created_at timestamptz NOT NULL,
    created_by text NULL,
    PRIMARY KEY (trust_id, id),
    FOREIGN KEY (trust_id, member_id) REFERENCES ${schema}.trust_members (trust_id, id),
    FOREIGN KEY (trust_id, school_id) REFERENCES ${schema}.schools (trust_id, id),
    -- Only the trust admin is appointed across the trust; every other post is at a school.
    CHECK ((school_id IS NULL) = (role = 'trust_admin'))
);
CREATE INDEX appointments_school ON ${schema}.appointments (trust_id, school_id, id);
CREATE INDEX appointments_member ON ${schema}.appointments (trust_id, member_id);
${tenant_table:appointments}
GRANT SELECT, INSERT, UPDATE ON ${schema}.appointments TO ${app_role};

-- The trust admins registered when their trust was onboarded hold the post from that day.
INSERT INTO ${schema}.appointments (trust_id, id, member_id, school_id, role, job_title, starts_on, version, created_at)
SELECT m.trust_id, gen_random_uuid(), m.id, NULL, 'trust_admin', NULL, (m.created_at AT TIME ZONE 'Europe/London')::date, 1, m.created_at
FROM ${schema}.trust_members m WHERE 'trust_admin' = ANY (m.roles);

-- The people change feed the replicas reconcile from (as the API key feed, 0003_api_key_changes.sql): every change to a
-- member or an appointment takes the next change_seq, one writer at a time under a transaction-scoped advisory lock,
-- so a reader that has seen change n has seen every change below n and a cursor never skips one.
CREATE SEQUENCE ${schema}.people_change_seq;
ALTER TABLE ${schema}.trust_members ADD COLUMN change_seq bigint NULL;
ALTER TABLE ${schema}.appointments ADD COLUMN change_seq bigint NULL;
UPDATE ${schema}.trust_members SET change_seq = nextval('${schema}.people_change_seq');
UPDATE ${schema}.appointments SET change_seq = nextval('${schema}.people_change_seq');
ALTER TABLE ${schema}.trust_members ALTER COLUMN change_seq SET NOT NULL;
ALTER TABLE ${schema}.appointments ALTER COLUMN change_seq SET NOT NULL;
CREATE INDEX trust_members_change_seq ON ${schema}.trust_members (change_seq);
CREATE INDEX appointments_change_seq ON ${schema}.appointments (change_seq);

CREATE FUNCTION ${schema}.people_changed() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    PERFORM pg_advisory_xact_lock(hashtext('${schema}'), hashtext('people_changes'));
    NEW.change_seq := nextval('${schema}.people_change_seq');
    RETURN NEW;
END
$$;
REVOKE ALL ON FUNCTION ${schema}.people_changed() FROM PUBLIC;
CREATE TRIGGER trust_members_changed BEFORE INSERT OR UPDATE ON ${schema}.trust_members FOR EACH ROW EXECUTE FUNCTION ${schema}.people_changed();
CREATE TRIGGER appointments_changed BEFORE INSERT OR UPDATE ON ${schema}.appointments FOR EACH ROW EXECUTE FUNCTION ${schema}.people_changed();

-- The feed spans trusts (a replica reconciles every trust at once), so it reads past row security, as the owner.
CREATE FUNCTION ${schema}.people_changes(p_after bigint, p_limit int)
RETURNS TABLE (change_seq bigint, kind text, trust_id uuid, id uuid, member_id uuid, school_id uuid, display_name text, email text,
               subject text, issuer text, staff_id uuid, role text, job_title text, starts_on date, ends_on date, ended_at timestamptz,
               end_reason text, version int)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
    SELECT * FROM (
        SELECT m.change_seq, 'member', m.trust_id, m.id, m.id, NULL::uuid, m.display_name, m.email, m.subject, m.issuer, m.staff_id,
               NULL::text, NULL::text, NULL::date, NULL::date, NULL::timestamptz, NULL::text, m.version
        FROM ${schema}.trust_members m WHERE m.change_seq > p_after
        UNION ALL
        SELECT a.change_seq, 'appointment', a.trust_id, a.id, a.member_id, a.school_id, NULL, NULL, NULL, NULL, NULL,
               a.role, a.job_title, a.starts_on, a.ends_on, a.ended_at, a.end_reason, a.version
        FROM ${schema}.appointments a WHERE a.change_seq > p_after
    ) c ORDER BY c.change_seq LIMIT p_limit
$$;
REVOKE ALL ON FUNCTION ${schema}.people_changes(bigint, int) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ${schema}.people_changes(bigint, int) TO ${app_role};
