-- Every service's copy of Policy's members and appointments (MemberChanged, AppointmentStarted, AppointmentEnded), from
-- which it resolves a signed-in member's roles. Policy keeps one too, fed by its own events, so that every service
-- answers "what may this subject do" the same way. The email is kept for the notifier; it is personal data.
-- version lets a late, older event lose against a newer one; ended_at is a tombstone nothing clears, so a late or
-- replayed AppointmentStarted never brings an ended appointment back (a row may hold only the tombstone, version 0).
CREATE TABLE ${schema}.people_members (
    trust_id uuid NOT NULL,
    member_id uuid NOT NULL,
    display_name text NOT NULL,
    email text NOT NULL,
    subject text NULL,
    issuer text NULL,
    staff_id uuid NULL,
    version int NOT NULL,
    updated_at timestamptz NOT NULL,
    PRIMARY KEY (trust_id, member_id)
);
CREATE INDEX people_members_subject ON ${schema}.people_members (trust_id, subject) WHERE subject IS NOT NULL;
${tenant_table:people_members}
GRANT SELECT, INSERT, UPDATE ON ${schema}.people_members TO ${app_role};

CREATE TABLE ${schema}.people_appointments (
    trust_id uuid NOT NULL,
    appointment_id uuid NOT NULL,
    member_id uuid NOT NULL,
    school_id uuid NULL,
    role text NOT NULL,
    job_title text NULL,
    starts_on date NULL,
    ends_on date NULL,
    version int NOT NULL,
    ended_at timestamptz NULL,
    end_reason text NULL,
    updated_at timestamptz NOT NULL,
    PRIMARY KEY (trust_id, appointment_id)
);
CREATE INDEX people_appointments_member ON ${schema}.people_appointments (trust_id, member_id);
CREATE INDEX people_appointments_school ON ${schema}.people_appointments (trust_id, school_id, role) WHERE ended_at IS NULL;
${tenant_table:people_appointments}
GRANT SELECT, INSERT, UPDATE ON ${schema}.people_appointments TO ${app_role};
