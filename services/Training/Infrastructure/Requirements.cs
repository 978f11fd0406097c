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

    private static readonly string RowsSql = $"""
        WITH pol AS (
            SELECT d.school_id,
                   coalesce(v.induction_window_days, $4) AS window_days,
                   coalesce(v.refresher_cadence, $5) AS cadence,
                   (v.major_published_at AT TIME ZONE 'UTC')::date AS ack_since,
                   v.major_published_at,
                   term.term_start, term.term_end
            FROM {S}.school_directory d
            LEFT JOIN {S}.policy_views v ON v.trust_id = d.trust_id AND v.school_id = d.school_id
            LEFT JOIN LATERAL (
                SELECT (t->>'start')::date AS term_start, (t->>'end')::date AS term_end
                FROM jsonb_array_elements(coalesce(v.terms, '[]'::jsonb)) t
                WHERE (t->>'end')::date >= $1
                ORDER BY (t->>'end')::date
                LIMIT 1) term ON true
            WHERE ($2::uuid[] IS NULL OR d.school_id = ANY($2))
        ), people AS (
            SELECT p.id, p.school_id, p.roles, p.start_date, pol.window_days, pol.cadence, pol.ack_since, pol.major_published_at,
                   pol.term_start, pol.term_end
            FROM {S}.people p JOIN pol ON pol.school_id = p.school_id
            WHERE p.left_at IS NULL AND (p.leave_date IS NULL OR p.leave_date > $1)
              AND ($3::uuid IS NULL OR p.id = $3)
        ), done AS (
            SELECT c.person_id, c.course_code, max(c.completed_on) AS last_on,
                   bool_or(c.expires_on IS NULL OR c.expires_on >= $1) AS current
            FROM {S}.completions c
            WHERE c.completed_on <= $1
              AND ($2::uuid[] IS NULL OR c.school_id = ANY($2)) AND ($3::uuid IS NULL OR c.person_id = $3)
            GROUP BY c.person_id, c.course_code
        ), acked AS (
            SELECT DISTINCT a.person_id
            FROM {S}.acknowledgements a
            JOIN {S}.policy_versions pv ON pv.policy_version_id = a.policy_version_id AND pv.school_id = a.school_id
            JOIN {S}.policy_views v ON v.school_id = a.school_id
            WHERE pv.published_at >= v.major_published_at
              AND ($2::uuid[] IS NULL OR a.school_id = ANY($2)) AND ($3::uuid IS NULL OR a.person_id = $3)
        ), incident AS (
            SELECT DISTINCT ON (t.school_id) t.school_id, t.raised_on, t.due_on
            FROM {S}.requirement_triggers t
            WHERE t.person_id IS NULL AND t.requirement = 'incident_refresher' AND t.raised_on <= $1
              AND ($2::uuid[] IS NULL OR t.school_id = ANY($2))
            ORDER BY t.school_id, t.raised_on DESC, t.created_at DESC
        )
        SELECT p.school_id, p.id AS person_id, 'induction'::text AS requirement, 'social_media_policy'::text AS course_code,
               p.start_date + p.window_days AS due_on, coalesce(sm.last_on >= p.start_date, false) AS satisfied
        FROM people p LEFT JOIN done sm ON sm.person_id = p.id AND sm.course_code = 'social_media_policy'
        UNION ALL
        SELECT p.school_id, p.id, 'refresher', 'social_media_policy',
               CASE WHEN p.cadence = 'termly' AND p.term_end IS NOT NULL THEN p.term_end
                    ELSE coalesce((sm.last_on + interval '12 months')::date, p.start_date + p.window_days) END,
               CASE WHEN p.cadence = 'termly' AND p.term_end IS NOT NULL THEN coalesce(sm.last_on >= p.term_start, false)
                    ELSE coalesce((sm.last_on + interval '12 months')::date > $1, false) END
        FROM people p LEFT JOIN done sm ON sm.person_id = p.id AND sm.course_code = 'social_media_policy'
        UNION ALL
        SELECT p.school_id, p.id, 'at_risk_pupils', 'at_risk_pupils', p.start_date + p.window_days, coalesce(ar.current, false)
        FROM people p LEFT JOIN done ar ON ar.person_id = p.id AND ar.course_code = 'at_risk_pupils'
        WHERE 'teacher' = ANY (p.roles)
        UNION ALL
        SELECT p.school_id, p.id, 'policy_acknowledgement', NULL, greatest(p.ack_since, p.start_date) + p.window_days, ak.person_id IS NOT NULL
        FROM people p LEFT JOIN acked ak ON ak.person_id = p.id
        WHERE p.ack_since IS NOT NULL
        UNION ALL
        SELECT p.school_id, p.id, 'incident_refresher', 'social_media_policy', i.due_on, coalesce(sm.last_on >= i.raised_on, false)
        FROM people p JOIN incident i ON i.school_id = p.school_id
        LEFT JOIN done sm ON sm.person_id = p.id AND sm.course_code = 'social_media_policy'
        WHERE p.start_date <= i.raised_on
        UNION ALL
        SELECT p.school_id, p.id, t.requirement, t.course_code, t.due_on, coalesce(pd.last_on >= t.raised_on, false)
        FROM {S}.requirement_triggers t JOIN people p ON p.id = t.person_id
        LEFT JOIN done pd ON pd.person_id = p.id AND pd.course_code = t.course_code
        WHERE t.raised_on <= $1
        """;

    public static async Task<List<RequirementRow>> ForPersonAsync(TrainingDbContext db, Guid schoolId, Guid personId, DateOnly asOf, CancellationToken cancellationToken)
    {
        var rows = new List<RequirementRow>();
        await using var command = await CommandAsync(db, $"SELECT * FROM ({RowsSql}) r ORDER BY r.requirement, r.course_code", asOf, [schoolId], personId, cancellationToken);
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
        var sql = $"""
            SELECT r.school_id, r.requirement, count(*)::int,
                   count(*) FILTER (WHERE r.satisfied)::int,
                   count(*) FILTER (WHERE NOT r.satisfied AND r.due_on >= $1)::int,
                   count(*) FILTER (WHERE NOT r.satisfied AND r.due_on < $1)::int
            FROM ({RowsSql}) AS r(school_id, person_id, requirement, course_code, due_on, satisfied)
            GROUP BY r.school_id, r.requirement
            ORDER BY r.school_id, r.requirement
            """;
        var result = new List<ComplianceCount>();
        await using var command = await CommandAsync(db, sql, asOf, schools?.ToArray(), null, cancellationToken);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            result.Add(new ComplianceCount(reader.GetGuid(0), reader.GetString(1), reader.GetInt32(2), reader.GetInt32(3), reader.GetInt32(4), reader.GetInt32(5)));
        }

        return result;
    }

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
