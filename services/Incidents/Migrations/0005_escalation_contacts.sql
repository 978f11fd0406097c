-- Whistle-blowing and grievance cases (001 l.98-102) go to the school's named escalation contacts, by staff id,
-- rather than to a role of the school; every earlier case has none.
ALTER TABLE ${schema}.cases ADD COLUMN escalation_refs text[] NOT NULL DEFAULT '{}';
