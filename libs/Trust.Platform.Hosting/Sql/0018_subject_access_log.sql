-- The subject access requests (UK GDPR art. 15) this service answered: who asked for everything it keeps about whom, as
-- what, when, and how many records the answer held. The row is written before the answer is sent, so no export goes
-- unrecorded; the app role may add and read rows but never change or delete one, so the trust's data protection officer
-- can show every export that was made. The subject is named by the id the request gave (a pupil's MIS id, a member of
-- staff's roster id), never by name.
CREATE TABLE ${schema}.subject_access_log (
    trust_id uuid NOT NULL,
    id uuid NOT NULL,
    school_id uuid NOT NULL,
    subject_kind text NOT NULL CHECK (subject_kind IN ('pupil', 'staff')),
    subject_ref text NOT NULL CHECK (length(subject_ref) BETWEEN 1 AND 64),
    requested_by text NOT NULL,
    requested_as text NOT NULL,
    records integer NOT NULL CHECK (records >= 0),
    requested_at timestamptz NOT NULL,
    PRIMARY KEY (trust_id, id)
);
CREATE INDEX subject_access_log_school ON ${schema}.subject_access_log (trust_id, school_id, id);
${tenant_table:subject_access_log}
GRANT SELECT, INSERT ON ${schema}.subject_access_log TO ${app_role};
