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
/// Case statistics, computed by one GROUP BY GROUPING SETS in PostgreSQL (never by loading cases).
/// <para>
/// Restricted (safeguarding) cases, which include every case about a headteacher and every whistle-blowing or grievance
/// case, are counted but never described: they add to <c>cases</c> and <c>restricted</c> of the totals, of their month
/// and of their school, and to nothing else. Their type is replaced by NULL before grouping, so no type row exists
/// because of them (a type whose only case is restricted does not appear, rather than appearing with 0), and the SLA
/// and time-to-close figures leave them out. So, whatever ranges or schools a caller compares, the by-type rows, SLA
/// shares and medians are exactly what they would be without the restricted cases: subtraction can recover how many
/// there were (which the answer states anyway), never their type, subject, reporter, status or timing within a month.
/// The range is whole months, so a restricted case is never placed on a narrower day than its month. The figures do
/// not depend on who asks, so two people's answers cannot be compared to learn more.
/// </para>
/// </summary>
public static class CaseStatisticsReport
{
    public static readonly string[] Columns =
        ["from", "to", "group", "key", "cases", "restricted", "sla_due", "sla_met", "sla_met_share", "closed", "median_hours_to_close"];

    /// <summary>
    /// The query: <c>{0}</c> is the month number of a case (1 for <c>from</c>) and where its rows come from (with the
    /// school filter). Bits of "Grouping": school 4, month 2, type 1.
    /// </summary>
    private const string Sql = """
        WITH c AS (
            SELECT c.school_id, c.restricted, c.due_at, c.closed_at, c.received_at,
                   CASE WHEN c.restricted THEN NULL ELSE c.case_type END AS type_key,
                   {0}
        )
        SELECT GROUPING(school_id, month, type_key) AS "Grouping", school_id AS "SchoolId", month AS "Month", type_key AS "Type",
               count(*)::int AS "Cases",
               count(*) FILTER (WHERE restricted)::int AS "Restricted",
               count(*) FILTER (WHERE NOT restricted AND due_at IS NOT NULL AND (closed_at IS NOT NULL OR due_at <= @now))::int AS "SlaDue",
               count(*) FILTER (WHERE NOT restricted AND due_at IS NOT NULL AND closed_at IS NOT NULL AND closed_at <= due_at)::int AS "SlaMet",
               count(*) FILTER (WHERE NOT restricted AND closed_at IS NOT NULL)::int AS "Closed",
               percentile_cont(0.5) WITHIN GROUP (ORDER BY (extract(epoch FROM closed_at - received_at) / 3600.0)::float8)
                   FILTER (WHERE NOT restricted AND closed_at IS NOT NULL) AS "MedianHours"
        FROM c
        GROUP BY GROUPING SETS ((), (school_id), (month), (type_key))
        """;

    /// <summary>
    /// Every school in one time zone (a trust almost always): the months are instant ranges, so the index gives exactly the
    /// rows and a binary search over the month starts numbers each one, with no time-zone arithmetic per case.
    /// </summary>
    private const string OneZone = """
        width_bucket(c.received_at, @bounds) AS month
            FROM incidents.cases c
            WHERE c.trust_id = @trust {0} AND c.received_at >= @start AND c.received_at < @end
        """;

    /// <summary>Schools in several time zones: each case's month where its school is, from the directory.</summary>
    private const string ZonePerSchool = """
        ((date_part('year', c.received_at AT TIME ZONE s.time_zone) - @year) * 12
                     + date_part('month', c.received_at AT TIME ZONE s.time_zone) - @month + 1)::int AS month
            FROM incidents.cases c
            JOIN incidents.school_directory s ON s.trust_id = c.trust_id AND s.school_id = c.school_id
            WHERE c.trust_id = @trust {0}
              AND c.received_at >= @lo AND c.received_at < @hi
              AND c.received_at AT TIME ZONE s.time_zone >= @from AND c.received_at AT TIME ZONE s.time_zone < @to
        """;

    public sealed class Row
    {
        public int Grouping { get; set; }

        public Guid? SchoolId { get; set; }

        public int? Month { get; set; }

        public string? Type { get; set; }

        public int Cases { get; set; }

        public int Restricted { get; set; }

        public int SlaDue { get; set; }

        public int SlaMet { get; set; }

        public int Closed { get; set; }

        public double? MedianHours { get; set; }
    }

    /// <summary>
    /// The statistics of <paramref name="schools"/> (each with its time zone, in the order the answer lists them) for the
    /// months from <paramref name="from"/> to <paramref name="to"/>: one school (<paramref name="school"/>), or the trust
    /// (<paramref name="onlyListed"/> when the caller's grant covers only some of its schools).
    /// </summary>
    public static async Task<CaseStatistics> BuildAsync(
        IncidentsDbContext db, Guid? school, IReadOnlyList<(Guid Id, string Zone)> schools, bool onlyListed, DateOnly from, DateOnly to, DateTimeOffset now,
        CancellationToken ct)
    {
        var (sql, parameters) = Command(db.Tenant.TrustId ?? Guid.Empty, school, schools, onlyListed, from, to, now);
        var rows = await db.Database.SqlQueryRaw<Row>(sql, [.. parameters]).ToListAsync(ct);
        return Shape(rows, school, [.. schools.Select(s => s.Id)], from, to);
    }

    /// <summary>The SQL and its parameters (public so the benchmark can EXPLAIN the very query the endpoint runs).</summary>
    public static (string Sql, NpgsqlParameter[] Parameters) Command(
        Guid trust, Guid? school, IReadOnlyList<(Guid Id, string Zone)> schools, bool onlyListed, DateOnly from, DateOnly to, DateTimeOffset now)
    {
        var months = (to.Year - from.Year) * 12 + to.Month - from.Month + 1;
        List<NpgsqlParameter> parameters =
        [
            new("trust", NpgsqlDbType.Uuid) { Value = trust },
            new("now", NpgsqlDbType.TimestampTz) { Value = now.ToUniversalTime() },
        ];
        var filter = "";
        if (school is { } only)
        {
            parameters.Add(new("school", NpgsqlDbType.Uuid) { Value = only });
            filter = "AND c.school_id = @school";
        }
        else if (onlyListed)
        {
            parameters.Add(new("schools", NpgsqlDbType.Array | NpgsqlDbType.Uuid) { Value = schools.Select(s => s.Id).ToArray() });
            filter = "AND c.school_id = ANY (@schools)";
        }

        var zones = schools.Select(s => s.Zone).Distinct().ToList();
        if (zones.Count <= 1)
        {
            var zone = zones.FirstOrDefault() ?? "UTC";
            var bounds = Enumerable.Range(0, months + 1).Select(m => CaseFilters.StartOfDay(from.AddMonths(m), zone)).ToArray();
            parameters.Add(new("bounds", NpgsqlDbType.Array | NpgsqlDbType.TimestampTz) { Value = bounds });
            parameters.Add(new("start", NpgsqlDbType.TimestampTz) { Value = bounds[0] });
            parameters.Add(new("end", NpgsqlDbType.TimestampTz) { Value = bounds[^1] });
            return (string.Format(CultureInfo.InvariantCulture, Sql, string.Format(CultureInfo.InvariantCulture, OneZone, filter)), [.. parameters]);
        }

        var fromLocal = from.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified);
        var toLocal = to.AddMonths(1).ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified);
        parameters.AddRange(
        [
            // Every zone is within 14 hours of UTC: these bounds let the index on received_at do the range, the local test decides.
            new("lo", NpgsqlDbType.TimestampTz) { Value = new DateTimeOffset(fromLocal.AddDays(-1), TimeSpan.Zero) },
            new("hi", NpgsqlDbType.TimestampTz) { Value = new DateTimeOffset(toLocal.AddDays(1), TimeSpan.Zero) },
            new("from", NpgsqlDbType.Timestamp) { Value = fromLocal },
            new("to", NpgsqlDbType.Timestamp) { Value = toLocal },
            new("year", NpgsqlDbType.Integer) { Value = from.Year },
            new("month", NpgsqlDbType.Integer) { Value = from.Month },
        ]);
        return (string.Format(CultureInfo.InvariantCulture, Sql, string.Format(CultureInfo.InvariantCulture, ZonePerSchool, filter)), [.. parameters]);
    }

    private static CaseStatistics Shape(List<Row> rows, Guid? school, IReadOnlyList<Guid> schools, DateOnly from, DateOnly to)
    {
        var total = rows.FirstOrDefault(r => r.Grouping == 7) ?? new Row();
        var byType = rows.Where(r => r.Grouping == 6 && r.Type is not null)
            .Select(r => (Type: CaseFilters.TypeOf(r.Type!), Row: r)).Where(t => t.Type is not null)
            .OrderBy(t => t.Type).Select(t => new CaseTypeFigures(t.Type!.Value, t.Row.Cases, t.Row.SlaDue, t.Row.SlaMet, Share(t.Row), t.Row.Closed, Hours(t.Row)))
            .ToList();
        var months = rows.Where(r => r.Grouping == 5 && r.Month is not null).ToDictionary(r => r.Month!.Value);
        var byMonth = new List<CaseMonthFigures>();
        var number = 1;
        for (var month = from; month <= to; month = month.AddMonths(1), number++)
        {
            var key = month.ToString("yyyy-MM", CultureInfo.InvariantCulture);
            var r = months.GetValueOrDefault(number) ?? new Row();
            byMonth.Add(new CaseMonthFigures(key, r.Cases, r.Restricted, r.SlaDue, r.SlaMet, Share(r), r.Closed, Hours(r)));
        }

        var bySchoolRows = rows.Where(r => r.Grouping == 3).ToDictionary(r => r.SchoolId!.Value);
        var bySchool = schools.Select(id => bySchoolRows.GetValueOrDefault(id) is { } r
                ? new CaseSchoolFigures(id, r.Cases, r.Restricted, r.SlaDue, r.SlaMet, Share(r), r.Closed, Hours(r))
                : new CaseSchoolFigures(id, 0, 0, 0, 0, null, 0, null))
            .ToList();
        var totals = new CaseFigures(total.Cases, total.Restricted, total.SlaDue, total.SlaMet, Share(total), total.Closed, Hours(total));
        return new CaseStatistics(Month(from), Month(to), school, totals, byType, byMonth, bySchool);
    }

    private static double? Share(Row r) => r.SlaDue == 0 ? null : Math.Round((double)r.SlaMet / r.SlaDue, 3);

    private static double? Hours(Row r) => r.MedianHours is { } h ? Math.Round(h, 1) : null;

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
