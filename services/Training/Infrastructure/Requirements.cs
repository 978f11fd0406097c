using Npgsql;
using NpgsqlTypes;
using Microsoft.EntityFrameworkCore;
using Trust.Platform.Contracts;

namespace Trust.Platform.Training.Infrastructure;

/// <summary>The requirements the effective policy and events imply, and the course codes that satisfy them.</summary>
public static class Requirement
{
    public const string Induction = "induction";
    public const string Refresher = "refresher";
    public const string AtRiskPupils = "at_risk_pupils";
    public const string PolicyAcknowledgement = "policy_acknowledgement";
    public const string IncidentRefresher = "incident_refresher";
    public const string PlatformTraining = "platform_training";

    public const string SocialMediaCourse = "social_media_policy";
    public const string AtRiskPupilsCourse = "at_risk_pupils";

    public static string PlatformCourse(string platform) => "platform:" + platform.Trim().ToLowerInvariant();

    public static string Status(bool satisfied, DateOnly dueOn, DateOnly today) =>
        satisfied ? "done" : dueOn < today ? "overdue" : "due";
}

/// <summary>One requirement of one person, as of a date.</summary>
public sealed record RequirementRow(Guid SchoolId, Guid PersonId, string Requirement, string? CourseCode, DateOnly DueOn, bool Satisfied);

/// <summary>Per-school, per-requirement totals.</summary>
public sealed record ComplianceCount(Guid SchoolId, string Requirement, int Total, int Done, int Due, int Overdue);

/// <summary>
/// Requirements are computed, never stored: one set-based query over the roster, the policy views,
/// completions, acknowledgements and event-raised triggers (so a policy change or a completion shows at
/// once). Per person it returns rows; per school and trust-wide it aggregates in PostgreSQL.
/// <list type="bullet">
/// <item>induction (000/003 "at induction"): the social media policy course on or after the start date, due start + window;</item>
/// <item>refresher, termly (002): completed within the current term, due at the term's end (between terms: the next term);
///   annual, or termly with no calendar terms: due 12 months after the last completion;</item>
/// <item>at_risk_pupils (000/003): teachers, a current (unexpired) completion, due start + window;</item>
/// <item>policy_acknowledgement: an acknowledgement of a version published since the latest major one, due window days after it (or the start date);</item>
/// <item>incident_refresher (002 "after significant incidents"): the social media course since the school's latest significant incident;</item>
/// <item>platform_training (002 Appendix C): the account's platform course since the account was approved.</item>
/// </list>
/// </summary>
public static class RequirementsQuery
{
    private const string S = TrainingDbContext.Schema;

    // Every per-person fact is joined onto the roster once (hash joins over base tables, where the planner
    // has statistics) and each fixed requirement's due date and status are computed as columns of that one
    // row per person. Per person the columns are unpivoted into rows; per school they are counted in one
    // pass (no 250,000-row union to aggregate). Joining materialised CTEs to each other instead made the
    // planner guess nested loops over 50,000 x 50,000 rows.
    private static readonly string PeopleCte = $"""
        WITH pol AS (
            SELECT d.school_id,
                   coalesce(v.induction_window_days, $4) AS window_days,
                   coalesce(v.refresher_cadence, $5) AS cadence,
                   v.major_published_at,
                   (v.major_published_at AT TIME ZONE 'UTC')::date AS ack_since,
                   term.term_start, term.term_end,
                   inc.raised_on AS incident_on, inc.due_on AS incident_due
            FROM {S}.school_directory d
            LEFT JOIN {S}.policy_views v ON v.trust_id = d.trust_id AND v.school_id = d.school_id
            LEFT JOIN LATERAL (
                SELECT (t->>'start')::date AS term_start, (t->>'end')::date AS term_end
                FROM jsonb_array_elements(coalesce(v.terms, '[]'::jsonb)) t
                WHERE (t->>'end')::date >= $1
                ORDER BY (t->>'end')::date
                LIMIT 1) term ON true
            LEFT JOIN LATERAL (
                SELECT t.raised_on, t.due_on FROM {S}.requirement_triggers t
                WHERE t.trust_id = d.trust_id AND t.school_id = d.school_id AND t.requirement = 'incident_refresher'
                  AND t.person_id IS NULL AND t.raised_on <= $1
                ORDER BY t.raised_on DESC, t.created_at DESC
                LIMIT 1) inc ON true
            WHERE ($2::uuid[] IS NULL OR d.school_id = ANY($2))
        ), facts AS (
            SELECT p.id, p.school_id, p.start_date, 'teacher' = ANY (p.roles) AS teacher, pol.window_days, pol.cadence,
                   pol.ack_since, pol.term_start, pol.term_end, pol.incident_on, pol.incident_due,
                   c.sm_last, coalesce(c.ar_current, false) AS ar_current,
                   coalesce(ak.last_published >= pol.major_published_at, false) AS acknowledged
            FROM {S}.people p
            JOIN pol ON pol.school_id = p.school_id
            LEFT JOIN (
                SELECT c.person_id,
                       max(c.completed_on) FILTER (WHERE c.course_code = 'social_media_policy') AS sm_last,
                       bool_or(c.course_code = 'at_risk_pupils' AND (c.expires_on IS NULL OR c.expires_on >= $1)) AS ar_current
                FROM {S}.completions c
                WHERE c.completed_on <= $1 AND c.course_code IN ('social_media_policy', 'at_risk_pupils')
                  AND ($2::uuid[] IS NULL OR c.school_id = ANY($2)) AND ($3::uuid IS NULL OR c.person_id = $3)
                GROUP BY c.person_id) c ON c.person_id = p.id
            LEFT JOIN (
                SELECT a.person_id, max(pv.published_at) AS last_published
                FROM {S}.acknowledgements a
                JOIN {S}.policy_versions pv ON pv.policy_version_id = a.policy_version_id AND pv.school_id = a.school_id
                WHERE ($2::uuid[] IS NULL OR a.school_id = ANY($2)) AND ($3::uuid IS NULL OR a.person_id = $3)
                GROUP BY a.person_id) ak ON ak.person_id = p.id
            WHERE p.left_at IS NULL AND (p.leave_date IS NULL OR p.leave_date > $1)
              AND ($3::uuid IS NULL OR p.id = $3)
        ), people AS (
            SELECT f.id, f.school_id,
                   f.start_date + f.window_days AS ind_due,
                   coalesce(f.sm_last >= f.start_date, false) AS ind_ok,
                   CASE WHEN f.cadence = 'termly' AND f.term_end IS NOT NULL THEN f.term_end
                        ELSE coalesce((f.sm_last + interval '12 months')::date, f.start_date + f.window_days) END AS ref_due,
                   CASE WHEN f.cadence = 'termly' AND f.term_end IS NOT NULL THEN coalesce(f.sm_last >= f.term_start, false)
                        ELSE coalesce((f.sm_last + interval '12 months')::date > $1, false) END AS ref_ok,
                   f.teacher, f.ar_current AS ar_ok,
                   f.ack_since IS NOT NULL AS ack_applies, greatest(f.ack_since, f.start_date) + f.window_days AS ack_due, f.acknowledged AS ack_ok,
                   f.incident_on IS NOT NULL AND f.start_date <= f.incident_on AS inc_applies, f.incident_due AS inc_due,
                   coalesce(f.sm_last >= f.incident_on, false) AS inc_ok
            FROM facts f
        )
        """;

    private static readonly string RowsSql = $"""
        {PeopleCte}
        SELECT p.school_id, p.id AS person_id, r.requirement, r.course_code, r.due_on, r.satisfied
        FROM people p
        CROSS JOIN LATERAL (VALUES
            ('induction', 'social_media_policy', p.ind_due, p.ind_ok, true),
            ('refresher', 'social_media_policy', p.ref_due, p.ref_ok, true),
            ('at_risk_pupils', 'at_risk_pupils', p.ind_due, p.ar_ok, p.teacher),
            ('policy_acknowledgement', NULL, p.ack_due, p.ack_ok, p.ack_applies),
            ('incident_refresher', 'social_media_policy', p.inc_due, p.inc_ok, p.inc_applies)) AS r(requirement, course_code, due_on, satisfied, applies)
        WHERE r.applies
        UNION ALL
        SELECT p.school_id, p.id, t.requirement, t.course_code, t.due_on,
               coalesce((SELECT max(c.completed_on) FROM {S}.completions c
                         WHERE c.trust_id = t.trust_id AND c.person_id = t.person_id AND c.course_code = t.course_code AND c.completed_on <= $1) >= t.raised_on, false)
        FROM {S}.requirement_triggers t JOIN people p ON p.id = t.person_id
        WHERE t.person_id IS NOT NULL AND t.raised_on <= $1
        """;

    public static async Task<List<RequirementRow>> ForPersonAsync(TrainingDbContext db, Guid schoolId, Guid personId, DateOnly asOf, CancellationToken cancellationToken)
    {
        var rows = new List<RequirementRow>();
        await using var command = await CommandAsync(db, RowsSql + " ORDER BY 3, 4", asOf, [schoolId], personId, cancellationToken);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new RequirementRow(reader.GetGuid(0), reader.GetGuid(1), reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetString(3),
                reader.GetFieldValue<DateOnly>(4), reader.GetBoolean(5)));
        }

        return rows;
    }

    /// <summary>Totals per school and requirement, aggregated in PostgreSQL; <paramref name="schools"/> null means every school of the trust.</summary>
    public static async Task<List<ComplianceCount>> CountsAsync(TrainingDbContext db, IReadOnlyCollection<Guid>? schools, DateOnly asOf, CancellationToken cancellationToken)
    {
        var result = new List<ComplianceCount>();
        await using var command = await CommandAsync(db, CountsSql, asOf, schools?.ToArray(), null, cancellationToken);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            result.Add(new ComplianceCount(reader.GetGuid(0), reader.GetString(1), reader.GetInt32(2), reader.GetInt32(3), reader.GetInt32(4), reader.GetInt32(5)));
        }

        return result;
    }

    // REVIEW: the plan depends on statistics. Right after a bulk load (a trust's first MIS syncs), before
    // autovacuum has analysed the tables, the planner guesses one row per school and picks nested loops: the
    // 500 x 100 trust-wide call then took over 30 s (measured); with statistics it takes ~0.2 s. Disabling
    // nested loops for the statement made the analysed case 10x slower, so it is not done. A per-person
    // summary row maintained on writes would make the dashboard independent of the planner.
    /// <summary>The aggregate behind per-school and trust-wide compliance: $1 as-of date, $2 school ids (null: all), $3 person (null), $4/$5 defaults.</summary>
    public static readonly string CountsSql = $"""
        {PeopleCte}, per_school AS (
            SELECT p.school_id,
                   count(*)::int AS n,
                   count(*) FILTER (WHERE p.ind_ok)::int AS ind_done, count(*) FILTER (WHERE NOT p.ind_ok AND p.ind_due >= $1)::int AS ind_open,
                   count(*) FILTER (WHERE p.ref_ok)::int AS ref_done, count(*) FILTER (WHERE NOT p.ref_ok AND p.ref_due >= $1)::int AS ref_open,
                   count(*) FILTER (WHERE p.teacher)::int AS ar_n,
                   count(*) FILTER (WHERE p.teacher AND p.ar_ok)::int AS ar_done, count(*) FILTER (WHERE p.teacher AND NOT p.ar_ok AND p.ind_due >= $1)::int AS ar_open,
                   count(*) FILTER (WHERE p.ack_applies)::int AS ack_n,
                   count(*) FILTER (WHERE p.ack_applies AND p.ack_ok)::int AS ack_done, count(*) FILTER (WHERE p.ack_applies AND NOT p.ack_ok AND p.ack_due >= $1)::int AS ack_open,
                   count(*) FILTER (WHERE p.inc_applies)::int AS inc_n,
                   count(*) FILTER (WHERE p.inc_applies AND p.inc_ok)::int AS inc_done, count(*) FILTER (WHERE p.inc_applies AND NOT p.inc_ok AND p.inc_due >= $1)::int AS inc_open
            FROM people p
            GROUP BY p.school_id
        ), platform AS (
            -- Reads the roster table, not the people CTE, so that the CTE is used once and PostgreSQL inlines it
            -- instead of materialising 50,000 rows.
            SELECT p.school_id, t.requirement,
                   coalesce((SELECT max(c.completed_on) FROM {S}.completions c
                             WHERE c.trust_id = t.trust_id AND c.person_id = t.person_id AND c.course_code = t.course_code AND c.completed_on <= $1) >= t.raised_on, false) AS ok,
                   t.due_on
            FROM {S}.requirement_triggers t JOIN {S}.people p ON p.trust_id = t.trust_id AND p.id = t.person_id
            WHERE t.person_id IS NOT NULL AND t.raised_on <= $1
              AND p.left_at IS NULL AND (p.leave_date IS NULL OR p.leave_date > $1)
              AND ($2::uuid[] IS NULL OR p.school_id = ANY($2))
        )
        SELECT s.school_id, r.requirement, r.total, r.done, r.open, r.total - r.done - r.open
        FROM per_school s
        CROSS JOIN LATERAL (VALUES
            ('induction', s.n, s.ind_done, s.ind_open),
            ('refresher', s.n, s.ref_done, s.ref_open),
            ('at_risk_pupils', s.ar_n, s.ar_done, s.ar_open),
            ('policy_acknowledgement', s.ack_n, s.ack_done, s.ack_open),
            ('incident_refresher', s.inc_n, s.inc_done, s.inc_open)) AS r(requirement, total, done, open)
        WHERE r.total > 0
        UNION ALL
        SELECT school_id, requirement, count(*)::int, count(*) FILTER (WHERE ok)::int, count(*) FILTER (WHERE NOT ok AND due_on >= $1)::int,
               count(*) FILTER (WHERE NOT ok AND due_on < $1)::int
        FROM platform
        GROUP BY school_id, requirement
        ORDER BY 1, 2
        """;

    private static async Task<NpgsqlCommand> CommandAsync(TrainingDbContext db, string sql, DateOnly asOf, Guid[]? schools, Guid? person, CancellationToken cancellationToken)
    {
        // The context's connection: the app role with the tenant set by the interceptor, so RLS bounds every row read here.
        await db.Database.OpenConnectionAsync(cancellationToken);
        var command = new NpgsqlCommand(sql, (NpgsqlConnection)db.Database.GetDbConnection());
        command.Parameters.Add(new NpgsqlParameter { Value = asOf });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)schools ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Uuid });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)person ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Uuid });
        command.Parameters.Add(new NpgsqlParameter { Value = PolicyDefaults.Training.InductionWindowDays });
        command.Parameters.Add(new NpgsqlParameter { Value = PolicyDefaults.Training.RefresherCadence });
        return command;
    }
}
