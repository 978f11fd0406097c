using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;
using Trust.Platform.Hosting.Http;
using Trust.Platform.Incidents.Domain;
using Trust.Platform.Incidents.Features.Cases.Search;
using Trust.Platform.Incidents.Infrastructure;

namespace Trust.Platform.Incidents.Features.Statistics;

/// <summary>
/// Case statistics, counted from the rollup <c>incidents.case_month_figures</c> (one row per school, month at the school, type
/// and restricted flag, restricted cases without their type; migration 0007 keeps it in the transaction of every write to a
/// case), never by loading cases.
/// <para>
/// Restricted (safeguarding) cases, which include every case about a headteacher and every whistle-blowing or grievance
/// case, are counted but never described: they add to <c>cases</c> and <c>restricted</c> of the totals, of their month
/// and of their school, and to nothing else. Their type is never read, so no type row exists because of them (a type
/// whose only case is restricted does not appear, rather than appearing with 0), and the SLA and time-to-close figures
/// leave them out. So, whatever ranges or schools a caller compares, the by-type rows, SLA shares and medians are
/// exactly what they would be without the restricted cases: subtraction can recover how many there were (which the
/// answer states anyway), never their type, subject, reporter, status or timing within a month. The range is whole
/// months, so a restricted case is never placed on a narrower day than its month. The figures do not depend on who
/// asks, so two people's answers cannot be compared to learn more.
/// </para>
/// </summary>
public static class CaseStatisticsReport
{
    public static readonly string[] Columns =
        ["from", "to", "group", "key", "cases", "restricted", "sla_due", "sla_met", "sla_met_share", "closed", "median_hours_to_close"];

    /// <summary>The rollup rows of the months (<c>{0}</c>: the school filter).</summary>
    private const string FiguresSql = """
        SELECT f.school_id, f.month, f.case_type, f.restricted, f.cases, f.closed, f.sla_open, f.sla_closed, f.sla_met, f.close_hours
        FROM incidents.case_month_figures f
        WHERE f.trust_id = @trust {0} AND f.month >= @from AND f.month <= @to AND f.cases > 0
        """;

    /// <summary>
    /// The open unrestricted cases of the months whose response deadline is still ahead: the rollup counts every open case
    /// with a deadline, and these are not due yet. Few (those received in the last working days), found by the partial index.
    /// </summary>
    private const string PendingSql = """
        SELECT c.school_id, m.month, c.case_type
        FROM incidents.cases c
        LEFT JOIN incidents.school_directory s ON s.trust_id = c.trust_id AND s.school_id = c.school_id
        CROSS JOIN LATERAL (SELECT incidents.case_month(c.received_at, s.time_zone) AS month) m
        WHERE c.trust_id = @trust {0} AND c.closed_at IS NULL AND c.due_at IS NOT NULL AND c.due_at > @now AND NOT c.restricted
          AND m.month >= @from AND m.month <= @to
        """;

    /// <summary>
    /// The statistics of <paramref name="schools"/> (in the order the answer lists them) for the months from
    /// <paramref name="from"/> to <paramref name="to"/>: one school (<paramref name="school"/>), or the trust
    /// (<paramref name="onlyListed"/> when the caller's grant covers only some of its schools).
    /// </summary>
    public static async Task<CaseStatistics> BuildAsync(
        IncidentsDbContext db, Guid? school, IReadOnlyList<Guid> schools, bool onlyListed, DateOnly from, DateOnly to, DateTimeOffset now,
        CancellationToken ct)
    {
        var figures = new Figures();
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            // One snapshot for both reads, so a case closed in between is not counted twice or not at all.
            var connection = (NpgsqlConnection)db.Database.GetDbConnection();
            await using var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, ct);
            await using var batch = new NpgsqlBatch(connection, transaction);
            batch.BatchCommands.Add(new NpgsqlBatchCommand("SET TRANSACTION READ ONLY"));
            foreach (var (sql, parameters) in Commands(db.Tenant.TrustId ?? Guid.Empty, school, schools, onlyListed, from, to, now))
            {
                var command = new NpgsqlBatchCommand(sql);
                command.Parameters.AddRange(parameters);
                batch.BatchCommands.Add(command);
            }

            await using (var reader = await batch.ExecuteReaderAsync(ct))
            {
                while (await reader.ReadAsync(ct))
                {
                    figures.Add(reader.GetGuid(0), reader.GetFieldValue<DateOnly>(1), reader.GetString(2), reader.GetBoolean(3), reader.GetInt32(4),
                        reader.GetInt32(5), reader.GetInt32(6), reader.GetInt32(7), reader.GetInt32(8), reader.GetFieldValue<double[]>(9));
                }

                await reader.NextResultAsync(ct);
                while (await reader.ReadAsync(ct))
                {
                    figures.NotDueYet(reader.GetGuid(0), reader.GetFieldValue<DateOnly>(1), reader.GetString(2));
                }
            }

            await transaction.CommitAsync(ct);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }

        return figures.Shape(school, schools, from, to);
    }

    /// <summary>The two queries and their parameters (public so the benchmark can EXPLAIN the very queries the endpoint runs).</summary>
    public static IReadOnlyList<(string Sql, NpgsqlParameter[] Parameters)> Commands(
        Guid trust, Guid? school, IReadOnlyList<Guid> schools, bool onlyListed, DateOnly from, DateOnly to, DateTimeOffset now)
    {
        var (figuresFilter, pendingFilter) = ("", "");
        NpgsqlParameter? schoolParameter = null;
        if (school is { } only)
        {
            schoolParameter = new("school", NpgsqlDbType.Uuid) { Value = only };
            (figuresFilter, pendingFilter) = ("AND f.school_id = @school", "AND c.school_id = @school");
        }
        else if (onlyListed)
        {
            schoolParameter = new("schools", NpgsqlDbType.Array | NpgsqlDbType.Uuid) { Value = schools.ToArray() };
            (figuresFilter, pendingFilter) = ("AND f.school_id = ANY (@schools)", "AND c.school_id = ANY (@schools)");
        }

        NpgsqlParameter[] Parameters(bool withNow) =>
        [
            new("trust", NpgsqlDbType.Uuid) { Value = trust },
            new("from", NpgsqlDbType.Date) { Value = new DateOnly(from.Year, from.Month, 1) },
            new("to", NpgsqlDbType.Date) { Value = new DateOnly(to.Year, to.Month, 1) },
            .. withNow ? [new NpgsqlParameter("now", NpgsqlDbType.TimestampTz) { Value = now.ToUniversalTime() }] : Array.Empty<NpgsqlParameter>(),
            .. schoolParameter is null ? [] : new[] { schoolParameter.Clone() },
        ];

        return
        [
            (string.Format(CultureInfo.InvariantCulture, FiguresSql, figuresFilter), Parameters(withNow: false)),
            (string.Format(CultureInfo.InvariantCulture, PendingSql, pendingFilter), Parameters(withNow: true)),
        ];
    }

    /// <summary>The sums of one group, and the hours to close of its unrestricted closed cases for the median.</summary>
    private sealed class Sums
    {
        public int Cases;
        public int Restricted;
        public int SlaDue;
        public int SlaMet;
        public int Closed;
        public readonly List<double> Hours = [];

        public void Add(bool restricted, int cases, int closed, int slaOpen, int slaClosed, int slaMet, double[] hours)
        {
            Cases += cases;
            if (restricted)
            {
                Restricted += cases;
                return;
            }

            SlaDue += slaOpen + slaClosed;
            SlaMet += slaMet;
            Closed += closed;
            Hours.AddRange(hours);
        }

        /// <summary>PostgreSQL's <c>percentile_cont(0.5)</c>: the middle value, or the two middle ones interpolated half-way.</summary>
        public double? Median()
        {
            if (Hours.Count == 0)
            {
                return null;
            }

            Hours.Sort();
            var position = 0.5 * (Hours.Count - 1);
            var first = (int)Math.Floor(position);
            var second = (int)Math.Ceiling(position);
            var median = first == second ? Hours[first] : Hours[first] + ((position - first) * (Hours[second] - Hours[first]));
            return Math.Round(median, 1);
        }

        public double? Share() => SlaDue == 0 ? null : Math.Round((double)SlaMet / SlaDue, 3);
    }

    /// <summary>The four groups the answer gives: the total, each type (unrestricted cases only), each month, each school.</summary>
    private sealed class Figures
    {
        private readonly Sums total = new();
        private readonly Dictionary<string, Sums> byType = [];
        private readonly Dictionary<DateOnly, Sums> byMonth = [];
        private readonly Dictionary<Guid, Sums> bySchool = [];

        private static Sums Of<TKey>(Dictionary<TKey, Sums> groups, TKey key)
            where TKey : notnull
        {
            if (!groups.TryGetValue(key, out var sums))
            {
                groups[key] = sums = new Sums();
            }

            return sums;
        }

        public void Add(Guid school, DateOnly month, string type, bool restricted, int cases, int closed, int slaOpen, int slaClosed, int slaMet, double[] hours)
        {
            total.Add(restricted, cases, closed, slaOpen, slaClosed, slaMet, hours);
            Of(byMonth, month).Add(restricted, cases, closed, slaOpen, slaClosed, slaMet, hours);
            Of(bySchool, school).Add(restricted, cases, closed, slaOpen, slaClosed, slaMet, hours);
            if (!restricted)
            {
                Of(byType, type).Add(restricted, cases, closed, slaOpen, slaClosed, slaMet, hours);
            }
        }

        /// <summary>An open unrestricted case whose deadline is ahead: not due yet, so out of the SLA figures it was counted in.</summary>
        public void NotDueYet(Guid school, DateOnly month, string type)
        {
            foreach (var sums in new[] { total, Of(byMonth, month), Of(bySchool, school), Of(byType, type) })
            {
                sums.SlaDue--;
            }
        }

        public CaseStatistics Shape(Guid? school, IReadOnlyList<Guid> schools, DateOnly first, DateOnly last)
        {
            var types = byType.Where(t => t.Value.Cases > 0).Select(t => (Type: CaseFilters.TypeOf(t.Key), Sums: t.Value)).Where(t => t.Type is not null)
                .OrderBy(t => t.Type).Select(t => new CaseTypeFigures(t.Type!.Value, t.Sums.Cases, t.Sums.SlaDue, t.Sums.SlaMet, t.Sums.Share(), t.Sums.Closed, t.Sums.Median()))
                .ToList();
            var months = new List<CaseMonthFigures>();
            for (var month = new DateOnly(first.Year, first.Month, 1); month <= last; month = month.AddMonths(1))
            {
                var m = byMonth.GetValueOrDefault(month) ?? new Sums();
                months.Add(new CaseMonthFigures(Month(month), m.Cases, m.Restricted, m.SlaDue, m.SlaMet, m.Share(), m.Closed, m.Median()));
            }

            var perSchool = schools.Select(id => bySchool.GetValueOrDefault(id) is { } s
                    ? new CaseSchoolFigures(id, s.Cases, s.Restricted, s.SlaDue, s.SlaMet, s.Share(), s.Closed, s.Median())
                    : new CaseSchoolFigures(id, 0, 0, 0, 0, null, 0, null))
                .ToList();
            var totals = new CaseFigures(total.Cases, total.Restricted, total.SlaDue, total.SlaMet, total.Share(), total.Closed, total.Median());
            return new CaseStatistics(Month(first), Month(last), school, totals, types, months, perSchool);
        }
    }

    private static string Month(DateOnly day) => day.ToString("yyyy-MM", CultureInfo.InvariantCulture);

    /// <summary>The same figures as CSV: one line per group (<c>total</c>, <c>type</c>, <c>month</c>, <c>school</c>).</summary>
    public static async Task<string> CsvAsync(CaseStatistics s)
    {
        await using var text = new StringWriter(CultureInfo.InvariantCulture);
        await using (var csv = Csv.CreateWriter(text))
        {
            foreach (var header in Columns)
            {
                csv.WriteField(header);
            }

            await csv.NextRecordAsync();
            async Task Line(string group, string key, int cases, int? restricted, int slaDue, int slaMet, double? share, int closed, double? hours)
            {
                object?[] fields = [s.From, s.To, group, key, cases, restricted, slaDue, slaMet, share, closed, hours];
                foreach (var field in fields)
                {
                    csv.WriteField(field switch
                    {
                        null => "",
                        double d => d.ToString("0.###", CultureInfo.InvariantCulture),
                        _ => Convert.ToString(field, CultureInfo.InvariantCulture),
                    });
                }

                await csv.NextRecordAsync();
            }

            var t = s.Totals;
            await Line("total", "", t.Cases, t.Restricted, t.SlaDue, t.SlaMet, t.SlaMetShare, t.Closed, t.MedianHoursToClose);
            foreach (var r in s.ByType)
            {
                // A type line has no restricted count: restricted cases are never counted under a type.
                await Line("type", CaseRouting.Name(r.Type), r.Cases, null, r.SlaDue, r.SlaMet, r.SlaMetShare, r.Closed, r.MedianHoursToClose);
            }

            foreach (var r in s.ByMonth)
            {
                await Line("month", r.Month, r.Cases, r.Restricted, r.SlaDue, r.SlaMet, r.SlaMetShare, r.Closed, r.MedianHoursToClose);
            }

            foreach (var r in s.BySchool)
            {
                await Line("school", r.SchoolId.ToString(), r.Cases, r.Restricted, r.SlaDue, r.SlaMet, r.SlaMetShare, r.Closed, r.MedianHoursToClose);
            }
        }

        return text.ToString();
    }
}
