-- An insert can only raise a person's latest completion dates, so the summary moves to the greater of what it holds and
-- the inserted rows' own maxima: one pass over the inserted rows, instead of reading every completion of each person
-- again (three index probes per person: a 10,000-row import spent most of its time there, measured). Updates and deletes
-- can lower a date and still recompute from the completions (refresh_person_completions, migration 0003).
CREATE OR REPLACE FUNCTION ${schema}.completions_changed()
RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        UPDATE ${schema}.people p
        SET sm_last_completed_on = greatest(p.sm_last_completed_on, n.sm_last),
            ar_last_completed_on = greatest(p.ar_last_completed_on, n.ar_last),
            ar_valid_until = greatest(p.ar_valid_until, n.ar_until)
        FROM (
            SELECT trust_id, person_id,
                   max(completed_on) FILTER (WHERE course_code = 'social_media_policy') AS sm_last,
                   max(completed_on) FILTER (WHERE course_code = 'at_risk_pupils') AS ar_last,
                   max(coalesce(expires_on, 'infinity'::date)) FILTER (WHERE course_code = 'at_risk_pupils') AS ar_until
            FROM new_rows GROUP BY trust_id, person_id
        ) n
        WHERE p.trust_id = n.trust_id AND p.id = n.person_id
          AND (p.sm_last_completed_on, p.ar_last_completed_on, p.ar_valid_until) IS DISTINCT FROM
              (greatest(p.sm_last_completed_on, n.sm_last), greatest(p.ar_last_completed_on, n.ar_last), greatest(p.ar_valid_until, n.ar_until));
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
REVOKE ALL ON FUNCTION ${schema}.completions_changed() FROM PUBLIC;
