-- Paper acknowledgements: a headteacher (or an integration's key) records that the people listed on a signed sheet acknowledged
-- a version of the school's policy. The scan is the evidence and is kept here, beside the acknowledgements it stands for, under
-- the same row-level security and in the same transaction (a sheet is never kept without its acknowledgements, nor they without
-- it). A sheet is one per school, version and content (its SHA-256), so recording the same scan again finds it.
CREATE TABLE ${schema}.acknowledgement_sheets (
    trust_id uuid NOT NULL,
    id uuid NOT NULL,
    school_id uuid NOT NULL,
    policy_version_id uuid NOT NULL,
    file_name text NOT NULL,
    content_type text NOT NULL,
    size_bytes int NOT NULL,
    sha256 bytea NOT NULL,
    content bytea NOT NULL,
    recorded_by text NOT NULL,
    recorded_at timestamptz NOT NULL,
    PRIMARY KEY (trust_id, id)
);
CREATE UNIQUE INDEX acknowledgement_sheets_once ON ${schema}.acknowledgement_sheets (trust_id, school_id, policy_version_id, sha256);
${tenant_table:acknowledgement_sheets}
GRANT SELECT, INSERT ON ${schema}.acknowledgement_sheets TO ${app_role};

-- How an acknowledgement was given: 'self' (the person, signed in) or 'paper_sheet' (recorded from a signed sheet), who
-- recorded it when it was not the person, and the sheet.
ALTER TABLE ${schema}.acknowledgements
    ADD COLUMN method text NOT NULL DEFAULT 'self',
    ADD COLUMN recorded_by text NULL,
    ADD COLUMN sheet_id uuid NULL;
