-- Case statistics from a rollup: the counts the statistics need per (school, month at the school, type, restricted),
-- kept by triggers in the same transaction as every write to a case (the report, the close, a re-route that restricts
-- or unrestricts it, an operator's correction in SQL), so the trust's figures read a few rows per school and month
-- instead of every case of the year. The statistics query still decides what a restricted row may tell
-- (CaseStatisticsReport); this table only counts.

-- The first day of the month a case was received in, at its school (the directory's time zone; UTC until the school
-- reaches the directory, when its rows are rebuilt).
CREATE FUNCTION ${schema}.case_month(p_received timestamptz, p_zone text)
RETURNS date
LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp
AS $$ SELECT date_trunc('month', p_received AT TIME ZONE coalesce(p_zone, 'UTC'))::date $$;

CREATE TABLE ${schema}.case_month_figures (
    trust_id uuid NOT NULL,
    school_id uuid NOT NULL,
    month date NOT NULL,
    -- Empty for restricted cases: their type is never told (nor kept here), they are counted per school and month only.
    case_type text NOT NULL,
    restricted boolean NOT NULL,
    cases int NOT NULL,
    -- closed_at set.
    closed int NOT NULL,
    -- With a response deadline: still open (due or not: the statistics subtract those not due yet), closed, closed by it.
    sla_open int NOT NULL,
    sla_closed int NOT NULL,
    sla_met int NOT NULL,
    -- Hours from received to closed of each closed unrestricted case, exactly as the median reads them: a median does
    -- not add up, so the values are kept (8 bytes a case) rather than a histogram that would round it.
    close_hours float8[] NOT NULL,
    PRIMARY KEY (trust_id, month, school_id, case_type, restricted)
);
CREATE INDEX case_month_figures_school ON ${schema}.case_month_figures (trust_id, school_id, month);
${tenant_table:case_month_figures}
GRANT SELECT, INSERT, UPDATE, DELETE ON ${schema}.case_month_figures TO ${app_role};

-- Open cases whose response deadline is still ahead: the statistics take them out of sla_open at the time of asking.
CREATE INDEX cases_sla_pending ON ${schema}.cases (trust_id, due_at) WHERE closed_at IS NULL AND due_at IS NOT NULL;

-- p_hours without one occurrence of each value of p_removed (a multiset difference: two cases may take the same time).
CREATE FUNCTION ${schema}.hours_without(p_hours float8[], p_removed float8[])
RETURNS float8[]
LANGUAGE sql IMMUTABLE SET search_path = pg_catalog, pg_temp
AS $$
    SELECT coalesce(array_agg(h.v ORDER BY h.i), '{}')
    FROM (SELECT u.v, u.i, row_number() OVER (PARTITION BY u.v ORDER BY u.i) AS n
          FROM unnest(p_hours) WITH ORDINALITY AS u(v, i)) h
    WHERE h.n > (SELECT count(*) FROM unnest(p_removed) AS r(v) WHERE r.v = h.v)
$$;

-- The statement that applies the rows of `changed` (a query over the trigger's transition tables, which only the
-- trigger function's own statements can read: the counted columns and sign +1 for a row counted now, -1 for one no
-- longer counted as it was) as deltas. Deltas, not a recount, so two transactions changing cases of the same school
-- and month both count (each waits for the other's row lock, then adds to it).
CREATE FUNCTION ${schema}.case_figures_sql(p_changed text)
RETURNS text
LANGUAGE plpgsql IMMUTABLE SET search_path = pg_catalog, pg_temp
AS $fn$
BEGIN
    RETURN format($q$
        WITH changed AS (%s),
        delta AS (
            SELECT c.trust_id, c.school_id, ${schema}.case_month(c.received_at, s.time_zone) AS month,
                   CASE WHEN c.restricted THEN '' ELSE c.case_type END AS case_type, c.restricted,
                   sum(c.sign)::int AS cases,
                   coalesce(sum(c.sign) FILTER (WHERE c.closed_at IS NOT NULL), 0)::int AS closed,
                   coalesce(sum(c.sign) FILTER (WHERE c.due_at IS NOT NULL AND c.closed_at IS NULL), 0)::int AS sla_open,
                   coalesce(sum(c.sign) FILTER (WHERE c.due_at IS NOT NULL AND c.closed_at IS NOT NULL), 0)::int AS sla_closed,
                   coalesce(sum(c.sign) FILTER (WHERE c.due_at IS NOT NULL AND c.closed_at <= c.due_at), 0)::int AS sla_met,
                   coalesce(array_agg((extract(epoch FROM c.closed_at - c.received_at) / 3600.0)::float8)
                       FILTER (WHERE c.closed_at IS NOT NULL AND NOT c.restricted AND c.sign > 0), '{}') AS added,
                   array_agg((extract(epoch FROM c.closed_at - c.received_at) / 3600.0)::float8)
                       FILTER (WHERE c.closed_at IS NOT NULL AND NOT c.restricted AND c.sign < 0) AS removed
            FROM changed c
            LEFT JOIN ${schema}.school_directory s ON s.trust_id = c.trust_id AND s.school_id = c.school_id
            GROUP BY 1, 2, 3, 4, 5
        ),
        updated AS (
            UPDATE ${schema}.case_month_figures f
            SET cases = f.cases + d.cases, closed = f.closed + d.closed, sla_open = f.sla_open + d.sla_open,
                sla_closed = f.sla_closed + d.sla_closed, sla_met = f.sla_met + d.sla_met,
                close_hours = ${schema}.hours_without(f.close_hours, d.removed) || d.added
            FROM delta d
            WHERE f.trust_id = d.trust_id AND f.month = d.month AND f.school_id = d.school_id
              AND f.case_type = d.case_type AND f.restricted = d.restricted
            RETURNING f.trust_id, f.month, f.school_id, f.case_type, f.restricted
        )
        INSERT INTO ${schema}.case_month_figures AS f
            (trust_id, school_id, month, case_type, restricted, cases, closed, sla_open, sla_closed, sla_met, close_hours)
        SELECT d.trust_id, d.school_id, d.month, d.case_type, d.restricted, d.cases, d.closed, d.sla_open, d.sla_closed, d.sla_met, d.added
        FROM delta d
        WHERE NOT EXISTS (SELECT FROM updated u WHERE u.trust_id = d.trust_id AND u.month = d.month AND u.school_id = d.school_id
                                                  AND u.case_type = d.case_type AND u.restricted = d.restricted)
        ON CONFLICT (trust_id, month, school_id, case_type, restricted) DO UPDATE
        SET cases = f.cases + excluded.cases, closed = f.closed + excluded.closed, sla_open = f.sla_open + excluded.sla_open,
            sla_closed = f.sla_closed + excluded.sla_closed, sla_met = f.sla_met + excluded.sla_met,
            close_hours = f.close_hours || excluded.close_hours
        $q$, p_changed);
END
$fn$;

CREATE FUNCTION ${schema}.cases_counted()
RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
    counted CONSTANT text := 'trust_id, school_id, received_at, case_type, restricted, due_at, closed_at';
BEGIN
    IF TG_OP = 'INSERT' THEN
        EXECUTE ${schema}.case_figures_sql(format('SELECT %s, 1 AS sign FROM new_rows', counted));
    ELSIF TG_OP = 'DELETE' THEN
        EXECUTE ${schema}.case_figures_sql(format('SELECT %s, -1 AS sign FROM old_rows', counted));
    ELSE
        -- Only rows whose counted columns changed: a note, an escalation or the overdue stamp moves nothing.
        EXECUTE ${schema}.case_figures_sql(format($q$
            SELECT x.* FROM old_rows o JOIN new_rows n ON n.trust_id = o.trust_id AND n.id = o.id
            CROSS JOIN LATERAL (VALUES (o.trust_id, o.school_id, o.received_at, o.case_type, o.restricted, o.due_at, o.closed_at, -1),
                                       (n.trust_id, n.school_id, n.received_at, n.case_type, n.restricted, n.due_at, n.closed_at, 1))
                AS x(%s, sign)
            WHERE (o.school_id, o.received_at, o.case_type, o.restricted, o.due_at, o.closed_at)
                IS DISTINCT FROM (n.school_id, n.received_at, n.case_type, n.restricted, n.due_at, n.closed_at)
            $q$, counted));
        -- A case re-routed into or out of restricted leaves a row counting nothing: drop it, so no empty type row remains.
        DELETE FROM ${schema}.case_month_figures f
        USING (SELECT DISTINCT o.trust_id, o.school_id, o.received_at, o.case_type, o.restricted FROM old_rows o) o
        LEFT JOIN ${schema}.school_directory s ON s.trust_id = o.trust_id AND s.school_id = o.school_id
        WHERE f.trust_id = o.trust_id AND f.school_id = o.school_id AND f.month = ${schema}.case_month(o.received_at, s.time_zone)
          AND f.case_type = CASE WHEN o.restricted THEN '' ELSE o.case_type END AND f.restricted = o.restricted AND f.cases = 0;
    END IF;
    RETURN NULL;
END
$fn$;

CREATE TRIGGER cases_figures_insert AFTER INSERT ON ${schema}.cases
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ${schema}.cases_counted();
CREATE TRIGGER cases_figures_update AFTER UPDATE ON ${schema}.cases
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ${schema}.cases_counted();
CREATE TRIGGER cases_figures_delete AFTER DELETE ON ${schema}.cases
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION ${schema}.cases_counted();

-- A school's months follow its time zone: when the school reaches the directory or its zone changes, its rows are
-- counted again from its cases.
CREATE FUNCTION ${schema}.case_figures_rebuild(p_trust uuid, p_school uuid)
RETURNS void
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
AS $fn$
BEGIN
    DELETE FROM ${schema}.case_month_figures WHERE trust_id = p_trust AND school_id = p_school;
    EXECUTE ${schema}.case_figures_sql(format(
        'SELECT trust_id, school_id, received_at, case_type, restricted, due_at, closed_at, 1 AS sign FROM ${schema}.cases WHERE trust_id = %L AND school_id = %L',
        p_trust, p_school));
END
$fn$;

CREATE FUNCTION ${schema}.school_zone_changed()
RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
AS $fn$
BEGIN
    PERFORM ${schema}.case_figures_rebuild(NEW.trust_id, NEW.school_id);
    RETURN NULL;
END
$fn$;

CREATE TRIGGER school_directory_zone_insert AFTER INSERT ON ${schema}.school_directory
    FOR EACH ROW EXECUTE FUNCTION ${schema}.school_zone_changed();
CREATE TRIGGER school_directory_zone_update AFTER UPDATE OF time_zone ON ${schema}.school_directory
    FOR EACH ROW WHEN (OLD.time_zone IS DISTINCT FROM NEW.time_zone) EXECUTE FUNCTION ${schema}.school_zone_changed();

REVOKE ALL ON FUNCTION ${schema}.case_month(timestamptz, text) FROM PUBLIC;
REVOKE ALL ON FUNCTION ${schema}.hours_without(float8[], float8[]) FROM PUBLIC;
REVOKE ALL ON FUNCTION ${schema}.case_figures_sql(text) FROM PUBLIC;
REVOKE ALL ON FUNCTION ${schema}.cases_counted() FROM PUBLIC;
REVOKE ALL ON FUNCTION ${schema}.case_figures_rebuild(uuid, uuid) FROM PUBLIC;
REVOKE ALL ON FUNCTION ${schema}.school_zone_changed() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ${schema}.case_month(timestamptz, text) TO ${app_role};
GRANT EXECUTE ON FUNCTION ${schema}.hours_without(float8[], float8[]) TO ${app_role};
GRANT EXECUTE ON FUNCTION ${schema}.case_figures_sql(text) TO ${app_role};
GRANT EXECUTE ON FUNCTION ${schema}.case_figures_rebuild(uuid, uuid) TO ${app_role};

-- Existing cases.
DO $$ BEGIN
    EXECUTE ${schema}.case_figures_sql(
        'SELECT trust_id, school_id, received_at, case_type, restricted, due_at, closed_at, 1 AS sign FROM ${schema}.cases');
END $$;
