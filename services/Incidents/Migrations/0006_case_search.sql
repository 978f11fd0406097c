-- Case search and statistics. Every list pages by id inside the filter, so each index ends with id: a filtered page
-- is a range scan that stops after limit + 1 rows (cases_school already serves school alone and the school's list).
CREATE INDEX cases_school_status ON ${schema}.cases (trust_id, school_id, status, id);
CREATE INDEX cases_type ON ${schema}.cases (trust_id, case_type, id);
-- A type within a date range (a term's cyberbullying): the range of that type alone, then the page sorted by id.
CREATE INDEX cases_type_received ON ${schema}.cases (trust_id, case_type, received_at);
CREATE INDEX cases_subject ON ${schema}.cases (trust_id, subject_ref, id) WHERE subject_ref IS NOT NULL;
CREATE INDEX cases_assigned ON ${schema}.cases (trust_id, assigned_role, id);
-- The date range of a search and the statistics' GROUP BY read received_at; the statistics read only the columns
-- included here, so they are answered from the index alone (an index-only scan once the table is vacuumed).
CREATE INDEX cases_received ON ${schema}.cases (trust_id, received_at)
    INCLUDE (school_id, case_type, restricted, due_at, closed_at);
-- One school's statistics read the same columns within the school.
CREATE INDEX cases_school_received ON ${schema}.cases (trust_id, school_id, received_at)
    INCLUDE (case_type, restricted, due_at, closed_at);
