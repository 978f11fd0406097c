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
}

/// <summary>One requirement of one person, as of a date.</summary>
public sealed record RequirementRow(Guid SchoolId, Guid PersonId, string Requirement, string? CourseCode, DateOnly DueOn, bool Satisfied);

/// <summary>One outstanding requirement of one person, with who they are and where.</summary>
public sealed record OutstandingRow(Guid SchoolId, string SchoolName, Guid PersonId, string? MisId, string DisplayName, string Requirement, string? CourseCode, DateOnly DueOn);

/// <summary>The key a page of outstanding requirements ends on.</summary>
public sealed record OutstandingKey(Guid SchoolId, Guid PersonId, string Requirement);

/// <summary>Which outstanding requirements to list: <c>overdue</c>, <c>due</c> or <c>all</c>; one requirement or any; after a key; at most a limit (null: all).</summary>
public sealed record OutstandingFilter(string Status, string? Requirement, OutstandingKey? After, int? Limit);

/// <summary>Per-school, per-requirement totals.</summary>
public sealed record ComplianceCount(Guid SchoolId, string Requirement, int Total, int Done, int Due, int Overdue);

/// <summary>
/// Requirements are computed, never stored: one set-based query over the roster (with its per-person
/// training summary, kept by database triggers on completions and acknowledgements in the writing
/// transaction), the policy views and event-raised triggers, so a policy change or a completion shows at
/// once. Per person it returns rows; per school and trust-wide it aggregates in PostgreSQL.
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

    // One row per person: the roster row carries its completion and acknowledgement summary, the school's
    // policy (500 rows) is hash-joined on, and each fixed requirement's due date and status are computed as
    // columns of that row. Per person the columns are unpivoted into rows; per school they are counted in one
    // pass (no 250,000-row union to aggregate). Aggregating completions and acknowledgements per call instead
    // cost two thirds of the trust-wide time and depended on the planner's statistics: right after a bulk
    // load it guessed nested loops and took over 30 s.
    private static readonly string PeopleCte = $"""
        WITH pol AS (
            SELECT d.school_id,
                   coalesce((v.message->'training'->>'inductionWindowDays')::int, $4) AS window_days,
                   coalesce(v.message->'training'->>'refresherCadence', $5) AS cadence,
                   b.major_published_at,
                   (b.major_published_at AT TIME ZONE 'UTC')::date AS ack_since,
                   term.term_start, term.term_end,
                   inc.raised_on AS incident_on, inc.due_on AS incident_due
            FROM {S}.school_directory d
            -- The platform's copy of the school's latest PolicyPublished (one row per school, read as JSON) and
            -- the acknowledgement baseline Training derives from the publications.
            LEFT JOIN {S}.published_policies v ON v.trust_id = d.trust_id AND v.school_id = d.school_id
            LEFT JOIN {S}.acknowledgement_baselines b ON b.trust_id = d.trust_id AND b.school_id = d.school_id
            LEFT JOIN LATERAL (
                SELECT (t->>'start')::date AS term_start, (t->>'end')::date AS term_end
                FROM jsonb_array_elements(coalesce(v.message->'calendar'->'terms', '[]'::jsonb)) t
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
            -- The per-person summary columns (migration 0003, kept by triggers) answer for any as-of date on or
            -- after the latest completion they record; only a person completed after the as-of date (a look back
            -- in time) reads their completions, through the completions_person index.
            SELECT p.id, p.school_id, p.start_date, 'teacher' = ANY (p.roles) AS teacher, pol.window_days, pol.cadence,
                   pol.ack_since, pol.term_start, pol.term_end, pol.incident_on, pol.incident_due,
                   CASE WHEN p.sm_last_completed_on IS NULL OR p.sm_last_completed_on <= $1 THEN p.sm_last_completed_on
                        ELSE (SELECT max(c.completed_on) FROM {S}.completions c
                              WHERE c.trust_id = p.trust_id AND c.person_id = p.id AND c.course_code = 'social_media_policy' AND c.completed_on <= $1)
                   END AS sm_last,
                   CASE WHEN p.ar_last_completed_on IS NULL THEN false
                        WHEN p.ar_last_completed_on <= $1 THEN p.ar_valid_until >= $1
                        ELSE EXISTS (SELECT 1 FROM {S}.completions c
                                     WHERE c.trust_id = p.trust_id AND c.person_id = p.id AND c.course_code = 'at_risk_pupils' AND c.completed_on <= $1
                                       AND (c.expires_on IS NULL OR c.expires_on >= $1))
                   END AS ar_current,
                   coalesce(p.ack_last_published_at >= pol.major_published_at, false) AS acknowledged
            FROM {S}.people p
            JOIN pol ON pol.school_id = p.school_id
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

    // Every requirement row of every person the CTE keeps: the fixed requirements unpivoted, then the raised ones.
    private static readonly string RowsSelect = $"""
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

    private static readonly string RowsSql = PeopleCte + "\n" + RowsSelect;

    /// <summary>
    /// The outstanding requirements of the people of the schools in $2 (null: the trust), one row per person and requirement, with
    /// the person's name and MIS id: $6 status (overdue, due or all outstanding), $7 requirement (null: any), keyset after
    /// ($8 school, $9 person, $10 requirement), at most $11 rows (null: all, for the CSV). The filter runs in PostgreSQL over the
    /// same rows the per-person view computes, so the list and the counts never disagree.
    /// </summary>
    private static readonly string OutstandingSql = $"""
        {PeopleCte}, rows AS (
        {RowsSelect}
        )
        SELECT r.school_id, d.name, r.person_id, pe.mis_id, pe.display_name, r.requirement, r.course_code, r.due_on
        FROM rows r
        JOIN {S}.people pe ON pe.id = r.person_id AND pe.school_id = r.school_id
        JOIN {S}.school_directory d ON d.school_id = r.school_id
        WHERE NOT r.satisfied
          AND ($6 = 'all' OR ($6 = 'overdue' AND r.due_on < $1) OR ($6 = 'due' AND r.due_on >= $1))
          AND ($7::text IS NULL OR r.requirement = $7)
          AND ($8::uuid IS NULL OR (r.school_id, r.person_id, r.requirement) > ($8::uuid, $9::uuid, $10::text))
        ORDER BY r.school_id, r.person_id, r.requirement
        LIMIT $11
        """;

    /// <summary>Outstanding requirements per person (see <see cref="OutstandingSql"/>); <paramref name="schools"/> null means every school of the trust.</summary>
    public static Task<List<OutstandingRow>> OutstandingAsync(TrainingDbContext db, IReadOnlyCollection<Guid>? schools, DateOnly asOf, OutstandingFilter filter,
        CancellationToken cancellationToken) =>
        QueryAsync(db, OutstandingSql, asOf, schools?.ToArray(), null, reader => new OutstandingRow(reader.GetGuid(0), reader.GetString(1), reader.GetGuid(2),
            reader.IsDBNull(3) ? null : reader.GetString(3), reader.GetString(4), reader.GetString(5), reader.IsDBNull(6) ? null : reader.GetString(6),
            reader.GetFieldValue<DateOnly>(7)), cancellationToken,
            [
                new NpgsqlParameter { Value = filter.Status, NpgsqlDbType = NpgsqlDbType.Text },
                new NpgsqlParameter { Value = (object?)filter.Requirement ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text },
                new NpgsqlParameter { Value = (object?)filter.After?.SchoolId ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Uuid },
                new NpgsqlParameter { Value = (object?)filter.After?.PersonId ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Uuid },
                new NpgsqlParameter { Value = (object?)filter.After?.Requirement ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text },
                new NpgsqlParameter { Value = (object?)filter.Limit ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Integer },
            ]);

    public static Task<List<RequirementRow>> ForPersonAsync(TrainingDbContext db, Guid schoolId, Guid personId, DateOnly asOf, CancellationToken cancellationToken) =>
        QueryAsync(db, RowsSql + " ORDER BY 3, 4", asOf, [schoolId], personId, reader => new RequirementRow(reader.GetGuid(0), reader.GetGuid(1),
            reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetString(3), reader.GetFieldValue<DateOnly>(4), reader.GetBoolean(5)), cancellationToken);

    /// <summary>Totals per school and requirement, aggregated in PostgreSQL; <paramref name="schools"/> null means every school of the trust.</summary>
    public static Task<List<ComplianceCount>> CountsAsync(TrainingDbContext db, IReadOnlyCollection<Guid>? schools, DateOnly asOf, CancellationToken cancellationToken) =>
        QueryAsync(db, CountsSql, asOf, schools?.ToArray(), null, reader => new ComplianceCount(reader.GetGuid(0), reader.GetString(1),
            reader.GetInt32(2), reader.GetInt32(3), reader.GetInt32(4), reader.GetInt32(5)), cancellationToken);

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

    /// <summary>
    /// Runs one of the queries above in a read-only transaction on the context's connection (the app role with the
    /// tenant set by the interceptor, so RLS bounds every row read here), with PostgreSQL's JIT compiler off for it:
    /// the never-run look-back subplans are costed once per person, which lifts the trust-wide estimate past
    /// jit_above_cost, and compiling then took 1.1 s of a 1.3 s call for a query that runs in 0.1 s (measured).
    /// </summary>
    private static async Task<List<T>> QueryAsync<T>(TrainingDbContext db, string sql, DateOnly asOf, Guid[]? schools, Guid? person,
        Func<NpgsqlDataReader, T> read, CancellationToken cancellationToken, IReadOnlyList<NpgsqlParameter>? extra = null)
    {
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            var connection = (NpgsqlConnection)db.Database.GetDbConnection();
            await using var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.ReadCommitted, cancellationToken);
            await using var batch = new NpgsqlBatch(connection, transaction);
            batch.BatchCommands.Add(new NpgsqlBatchCommand("SET TRANSACTION READ ONLY"));
            batch.BatchCommands.Add(new NpgsqlBatchCommand("SET LOCAL jit = off"));
            var query = new NpgsqlBatchCommand(sql);
            query.Parameters.Add(new NpgsqlParameter { Value = asOf });
            query.Parameters.Add(new NpgsqlParameter { Value = (object?)schools ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Uuid });
            query.Parameters.Add(new NpgsqlParameter { Value = (object?)person ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Uuid });
            query.Parameters.Add(new NpgsqlParameter { Value = PolicyDefaults.Training.InductionWindowDays });
            query.Parameters.Add(new NpgsqlParameter { Value = PolicyDefaults.Training.RefresherCadence });
            foreach (var parameter in extra ?? [])
            {
                query.Parameters.Add(parameter);
            }

            batch.BatchCommands.Add(query);
            var rows = new List<T>();
            await using (var reader = await batch.ExecuteReaderAsync(cancellationToken))
            {
                while (await reader.ReadAsync(cancellationToken))
                {
                    rows.Add(read(reader));
                }
            }

            await transaction.CommitAsync(cancellationToken);
            return rows;
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }
}
