-- Per-person training summary (issue 6): the facts compliance needs from completions and acknowledgements,
-- kept on the roster row by triggers, so the trust-wide dashboard reads one row per person instead of
-- aggregating every completion and acknowledgement of the trust on each call (docs/adr/0130).
--
-- The columns are exact for any as-of date on or after the dates they hold; RequirementsQuery falls back to
-- the completions themselves for a person whose latest completion is after the as-of date. Triggers, not
-- application code, keep them, so every write path (the API, a bulk import, an operator's correction in SQL)
-- updates them in the same transaction.
ALTER TABLE ${schema}.people
    -- Latest completion of the social media policy course (induction, refresher, incident refresher).
    ADD COLUMN sm_last_completed_on date NULL,
    -- Latest completion of the at-risk pupils course, and the latest expiry among them ('infinity': one never expires).
    ADD COLUMN ar_last_completed_on date NULL,
    ADD COLUMN ar_valid_until date NULL,
    -- Publication time of the latest policy version this person acknowledged.
    ADD COLUMN ack_last_published_at timestamptz NULL;

CREATE FUNCTION ${schema}.refresh_person_completions(p_trust uuid[], p_person uuid[])
RETURNS void
LANGUAGE sql SET search_path = pg_catalog, pg_temp
AS $$
    UPDATE ${schema}.people p
    SET sm_last_completed_on = s.sm_last, ar_last_completed_on = s.ar_last, ar_valid_until = s.ar_until
    FROM (
        SELECT k.trust_id, k.person_id,
               (SELECT max(c.completed_on) FROM ${schema}.completions c
                WHERE c.trust_id = k.trust_id AND c.person_id = k.person_id AND c.course_code = 'social_media_policy') AS sm_last,
               (SELECT max(c.completed_on) FROM ${schema}.completions c
                WHERE c.trust_id = k.trust_id AND c.person_id = k.person_id AND c.course_code = 'at_risk_pupils') AS ar_last,
               (SELECT max(coalesce(c.expires_on, 'infinity'::date)) FROM ${schema}.completions c
                WHERE c.trust_id = k.trust_id AND c.person_id = k.person_id AND c.course_code = 'at_risk_pupils') AS ar_until
        FROM (SELECT DISTINCT t, u FROM unnest(p_trust, p_person) AS x(t, u)) k(trust_id, person_id)
    ) s
    WHERE p.trust_id = s.trust_id AND p.id = s.person_id
      AND (p.sm_last_completed_on, p.ar_last_completed_on, p.ar_valid_until) IS DISTINCT FROM (s.sm_last, s.ar_last, s.ar_until)
$$;

CREATE FUNCTION ${schema}.completions_changed()
RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM ${schema}.refresh_person_completions(array_agg(n.trust_id), array_agg(n.person_id)) FROM new_rows n;
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM ${schema}.refresh_person_completions(array_agg(o.trust_id), array_agg(o.person_id)) FROM old_rows o;
    ELSE
        -- Only rows whose person, course, date or expiry changed (the expiry sweep's expired_at stamp does not count).
        PERFORM ${schema}.refresh_person_completions(array_agg(x.trust_id), array_agg(x.person_id))
        FROM old_rows o
        JOIN new_rows n ON n.trust_id = o.trust_id AND n.id = o.id
        CROSS JOIN LATERAL (VALUES (o.trust_id, o.person_id), (n.trust_id, n.person_id)) x(trust_id, person_id)
        WHERE (o.person_id, o.course_code, o.completed_on, o.expires_on) IS DISTINCT FROM (n.person_id, n.course_code, n.completed_on, n.expires_on);
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER completions_summary_insert AFTER INSERT ON ${schema}.completions
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ${schema}.completions_changed();
CREATE TRIGGER completions_summary_update AFTER UPDATE ON ${schema}.completions
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ${schema}.completions_changed();
CREATE TRIGGER completions_summary_delete AFTER DELETE ON ${schema}.completions
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION ${schema}.completions_changed();

CREATE FUNCTION ${schema}.refresh_person_acknowledgements(p_trust uuid[], p_person uuid[])
RETURNS void
LANGUAGE sql SET search_path = pg_catalog, pg_temp
AS $$
    UPDATE ${schema}.people p
    SET ack_last_published_at = s.last_published
    FROM (
        SELECT d.trust_id, d.person_id,
               (SELECT max(pv.published_at) FROM ${schema}.acknowledgements a
                JOIN ${schema}.policy_versions pv ON pv.trust_id = a.trust_id AND pv.policy_version_id = a.policy_version_id AND pv.school_id = a.school_id
                WHERE a.trust_id = d.trust_id AND a.person_id = d.person_id) AS last_published
        FROM (SELECT DISTINCT t, u FROM unnest(p_trust, p_person) AS x(t, u)) d(trust_id, person_id)
    ) s
    WHERE p.trust_id = s.trust_id AND p.id = s.person_id
      AND p.ack_last_published_at IS DISTINCT FROM s.last_published
$$;

CREATE FUNCTION ${schema}.acknowledgements_changed()
RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM ${schema}.refresh_person_acknowledgements(array_agg(n.trust_id), array_agg(n.person_id)) FROM new_rows n;
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM ${schema}.refresh_person_acknowledgements(array_agg(o.trust_id), array_agg(o.person_id)) FROM old_rows o;
    ELSE
        PERFORM ${schema}.refresh_person_acknowledgements(array_agg(x.trust_id), array_agg(x.person_id))
        FROM (SELECT trust_id, person_id FROM old_rows UNION SELECT trust_id, person_id FROM new_rows) x;
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER acknowledgements_summary_insert AFTER INSERT ON ${schema}.acknowledgements
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ${schema}.acknowledgements_changed();
CREATE TRIGGER acknowledgements_summary_update AFTER UPDATE ON ${schema}.acknowledgements
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ${schema}.acknowledgements_changed();
CREATE TRIGGER acknowledgements_summary_delete AFTER DELETE ON ${schema}.acknowledgements
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION ${schema}.acknowledgements_changed();

-- policy_versions rows are written once (PolicyPublished, through the inbox) and never changed, so an
-- acknowledgement's publication time is final when the acknowledgement is inserted.

REVOKE ALL ON FUNCTION ${schema}.refresh_person_completions(uuid[], uuid[]) FROM PUBLIC;
REVOKE ALL ON FUNCTION ${schema}.refresh_person_acknowledgements(uuid[], uuid[]) FROM PUBLIC;
REVOKE ALL ON FUNCTION ${schema}.completions_changed() FROM PUBLIC;
REVOKE ALL ON FUNCTION ${schema}.acknowledgements_changed() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ${schema}.refresh_person_completions(uuid[], uuid[]) TO ${app_role};
GRANT EXECUTE ON FUNCTION ${schema}.refresh_person_acknowledgements(uuid[], uuid[]) TO ${app_role};

-- Existing rows.
SELECT ${schema}.refresh_person_completions(array_agg(trust_id), array_agg(person_id)) FROM (SELECT DISTINCT trust_id, person_id FROM ${schema}.completions) c;
SELECT ${schema}.refresh_person_acknowledgements(array_agg(trust_id), array_agg(person_id)) FROM (SELECT DISTINCT trust_id, person_id FROM ${schema}.acknowledgements) a;
