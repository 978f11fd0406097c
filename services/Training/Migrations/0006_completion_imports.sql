-- Bulk import of completions: an import is a job of the same model as a roster sync (status, counts, the refused rows by
-- row, field and reason), told apart by its kind, so an MIS reads both the same way.
ALTER TABLE ${schema}.roster_jobs
    ADD COLUMN kind text NOT NULL DEFAULT 'roster',
    -- Completions an import added (the rows already on record count as unchanged).
    ADD COLUMN recorded int NOT NULL DEFAULT 0;

-- An import looks up its rows' natural key (person, course, completed date) among the school's completions.
CREATE INDEX completions_natural_key ON ${schema}.completions (trust_id, person_id, course_id, completed_on);
