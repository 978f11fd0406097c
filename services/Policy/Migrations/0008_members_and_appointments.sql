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
