-- Who a case is about, recognised from the roster as well as from the reporter: the roster as Incidents needs it
-- (who holds the headteacher role at which school; no names), kept from Training's StaffJoined / StaffRoleChanged /
-- StaffLeft events.
CREATE TABLE ${schema}.staff_roster (
    trust_id uuid NOT NULL,
    school_id uuid NOT NULL,
    staff_id uuid NOT NULL,
    roles text[] NOT NULL,
    left_on date NULL,
    updated_at timestamptz NOT NULL,
    PRIMARY KEY (trust_id, school_id, staff_id)
);
-- The case rules ask "where is this person the headteacher?" for a caller whose token carries a staff id.
CREATE INDEX staff_roster_staff ON ${schema}.staff_roster (trust_id, staff_id);

ALTER TABLE ${schema}.staff_roster ENABLE ROW LEVEL SECURITY;
ALTER TABLE ${schema}.staff_roster FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON ${schema}.staff_roster
    USING (trust_id = ${current_trust}) WITH CHECK (trust_id = ${current_trust});
REVOKE ALL ON ${schema}.staff_roster FROM PUBLIC;
GRANT SELECT, INSERT, UPDATE ON ${schema}.staff_roster TO ${app_role};

-- The reporter's safeguarding flag, kept so that re-routing a case recomputes its restriction from what was reported.
ALTER TABLE ${schema}.cases ADD COLUMN safeguarding boolean NOT NULL DEFAULT false;
