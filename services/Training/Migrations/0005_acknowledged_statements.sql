-- What a member of staff agrees to when they acknowledge a version: the statements built from the version's staff rules
-- and journalist rule, kept with the version as published and copied into each acknowledgement. Versions and
-- acknowledgements from before carry none.
ALTER TABLE ${schema}.policy_versions ADD COLUMN statements text[] NOT NULL DEFAULT '{}';
ALTER TABLE ${schema}.acknowledgements ADD COLUMN statements text[] NOT NULL DEFAULT '{}';
