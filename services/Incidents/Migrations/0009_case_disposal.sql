-- Disposal of a case past its retention date (DESIGN: retention rules per case type and a legal hold). The case row,
-- its timeline and its evidence rows go in one transaction; what remains is a tombstone that says what was disposed,
-- when, by whom and why, never what the case said or whom it was about.

CREATE TABLE ${schema}.case_disposals (
    trust_id uuid NOT NULL,
    case_id uuid NOT NULL,
    school_id uuid NOT NULL,
    case_type text NOT NULL,
    -- Kept so that the tombstone is shown to whom the case was (a restricted case's type stays with the DSL; a case about
    -- the headteacher is never shown to the headteacher).
    restricted boolean NOT NULL,
    about_headteacher boolean NOT NULL,
    received_month date NOT NULL,
    retention_until date NULL,
    disposed_at timestamptz NOT NULL,
    actor text NOT NULL,
    actor_role text NOT NULL,
    reason text NOT NULL,
    timeline_entries int NOT NULL,
    evidence_files int NOT NULL,
    PRIMARY KEY (trust_id, case_id)
);
CREATE INDEX case_disposals_school ON ${schema}.case_disposals (trust_id, school_id, case_id);
${tenant_table:case_disposals}
-- Written only by dispose_case (below); the app role reads tombstones and can change none.
GRANT SELECT ON ${schema}.case_disposals TO ${app_role};

-- The encrypted files of disposed evidence, written in the disposal's transaction and removed once the files are gone
-- from the evidence folder: a crash between the commit and the file removal leaves the key here, and the next sweep
-- removes the file (removing a file that is already gone is not an error).
CREATE TABLE ${schema}.evidence_files_to_remove (
    trust_id uuid NOT NULL,
    storage_key text NOT NULL,
    case_id uuid NOT NULL,
    disposed_at timestamptz NOT NULL,
    PRIMARY KEY (trust_id, storage_key)
);
${tenant_table:evidence_files_to_remove}
GRANT SELECT, DELETE ON ${schema}.evidence_files_to_remove TO ${app_role};

-- A deleted case leaves the statistics as a fresh count would: the delete trigger subtracts it, and a (school, month,
-- type) row that no longer counts anything goes too (the update branch already drops such rows; this is the same for
-- deletes, so that case_figures_rebuild and the kept rows agree).
CREATE FUNCTION ${schema}.cases_figures_prune()
RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
AS $fn$
BEGIN
    DELETE FROM ${schema}.case_month_figures f
    USING (SELECT DISTINCT o.trust_id, o.school_id FROM old_rows o) o
    WHERE f.trust_id = o.trust_id AND f.school_id = o.school_id AND f.cases = 0;
    RETURN NULL;
END
$fn$;
-- Statement triggers of one event fire in name order: this runs after cases_figures_delete.
CREATE TRIGGER cases_figures_delete_prune AFTER DELETE ON ${schema}.cases
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION ${schema}.cases_figures_prune();
REVOKE ALL ON FUNCTION ${schema}.cases_figures_prune() FROM PUBLIC;

-- The one way a case is deleted. The app role may not delete cases, timeline entries or evidence rows (the timeline is
-- append-only); this function does, for one case of the session's trust, after checking under the row's lock that the
-- case is still due (closed and past its retention date, or a child-protection case whose retention cannot be computed)
-- and not on legal hold: a hold placed after the caller looked is still honoured. Answers the outcome ('disposed',
-- 'not_found', 'legal_hold', 'not_due') and the storage keys of the evidence files to remove after the commit.
CREATE FUNCTION ${schema}.dispose_case(
    p_case uuid, p_today date, p_now timestamptz, p_audit_id uuid, p_actor text, p_actor_role text, p_reason text)
RETURNS TABLE (outcome text, storage_keys text[])
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
    v_trust uuid := ${current_trust};
    v_case ${schema}.cases%ROWTYPE;
    v_keys text[];
    v_timeline int;
    v_zone text;
BEGIN
    IF v_trust IS NULL THEN
        RAISE EXCEPTION 'dispose_case needs the session''s trust';
    END IF;

    SELECT * INTO v_case FROM ${schema}.cases c WHERE c.trust_id = v_trust AND c.id = p_case FOR UPDATE;
    IF NOT FOUND THEN
        RETURN QUERY SELECT 'not_found'::text, NULL::text[];
        RETURN;
    END IF;
    IF v_case.legal_hold THEN
        RETURN QUERY SELECT 'legal_hold'::text, NULL::text[];
        RETURN;
    END IF;
    IF v_case.status <> 'closed' OR NOT (
        (v_case.retention_until IS NOT NULL AND v_case.retention_until <= p_today) OR
        (v_case.retention_until IS NULL AND v_case.restricted AND v_case.subject_kind = 'pupil')) THEN
        RETURN QUERY SELECT 'not_due'::text, NULL::text[];
        RETURN;
    END IF;

    SELECT coalesce(array_agg(e.storage_key ORDER BY e.storage_key), '{}') INTO v_keys
    FROM ${schema}.evidence e WHERE e.trust_id = v_trust AND e.case_id = p_case;
    INSERT INTO ${schema}.evidence_files_to_remove (trust_id, storage_key, case_id, disposed_at)
    SELECT v_trust, k, p_case, p_now FROM unnest(v_keys) AS k;
    DELETE FROM ${schema}.evidence e WHERE e.trust_id = v_trust AND e.case_id = p_case;
    DELETE FROM ${schema}.case_timeline t WHERE t.trust_id = v_trust AND t.case_id = p_case;
    GET DIAGNOSTICS v_timeline = ROW_COUNT;
    DELETE FROM ${schema}.cases c WHERE c.trust_id = v_trust AND c.id = p_case;

    SELECT s.time_zone INTO v_zone FROM ${schema}.school_directory s WHERE s.trust_id = v_trust AND s.school_id = v_case.school_id;
    INSERT INTO ${schema}.case_disposals (trust_id, case_id, school_id, case_type, restricted, about_headteacher, received_month,
        retention_until, disposed_at, actor, actor_role, reason, timeline_entries, evidence_files)
    VALUES (v_trust, p_case, v_case.school_id, v_case.case_type, v_case.restricted, v_case.about_headteacher,
        ${schema}.case_month(v_case.received_at, v_zone), v_case.retention_until, p_now, p_actor, p_actor_role, p_reason,
        v_timeline, cardinality(v_keys));
    INSERT INTO ${schema}.case_audit (trust_id, id, school_id, case_id, actor, actor_role, action, at)
    VALUES (v_trust, p_audit_id, v_case.school_id, p_case, p_actor, p_actor_role, 'disposed', p_now);

    RETURN QUERY SELECT 'disposed'::text, v_keys;
END
$fn$;
REVOKE ALL ON FUNCTION ${schema}.dispose_case(uuid, date, timestamptz, uuid, text, text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ${schema}.dispose_case(uuid, date, timestamptz, uuid, text, text, text) TO ${app_role};

-- The trusts with evidence files still to remove after a disposal: keys only, for the sweep, which then visits each trust
-- under row-level security.
CREATE FUNCTION ${schema}.evidence_removal_trusts()
RETURNS TABLE (trust_id uuid)
LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$ SELECT DISTINCT f.trust_id FROM ${schema}.evidence_files_to_remove f $$;
REVOKE ALL ON FUNCTION ${schema}.evidence_removal_trusts() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ${schema}.evidence_removal_trusts() TO ${app_role};
