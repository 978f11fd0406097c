using System.Globalization;
using System.Net;
using System.Text.Json;
using Npgsql;
using Trust.Platform.TestSupport;
using static Trust.Platform.Incidents.Tests.IncidentsSeed;

namespace Trust.Platform.Incidents.Tests.Cases;

/// <summary>
/// The statistics rollup (<c>incidents.case_month_figures</c>, kept by triggers) against a fresh count of the cases
/// table after real writes through the API: reports, closes (some at once), re-routes into and out of restricted.
/// </summary>
public sealed class CaseMonthFiguresTests(ReplicaServiceHost<IncidentsService> host) : IClassFixture<ReplicaServiceHost<IncidentsService>>
{
    /// <summary>The rollup's rows of the trust, each as text with its hours sorted (their order in the array is not a figure).</summary>
    internal const string RollupSql = """
        SELECT f.school_id, f.month, f.case_type, f.restricted, f.cases, f.closed, f.sla_open, f.sla_closed, f.sla_met,
               (SELECT coalesce(array_agg(h ORDER BY h), '{}') FROM unnest(f.close_hours) h)::text
        FROM incidents.case_month_figures f WHERE f.trust_id = $1
        """;

    /// <summary>The same figures counted afresh from the cases, by the definitions the statistics use (a restricted case's type is not kept).</summary>
    internal const string FreshSql = """
        SELECT c.school_id, incidents.case_month(c.received_at, s.time_zone), CASE WHEN c.restricted THEN '' ELSE c.case_type END, c.restricted, count(*)::int,
               count(*) FILTER (WHERE c.closed_at IS NOT NULL)::int,
               count(*) FILTER (WHERE c.due_at IS NOT NULL AND c.closed_at IS NULL)::int,
               count(*) FILTER (WHERE c.due_at IS NOT NULL AND c.closed_at IS NOT NULL)::int,
               count(*) FILTER (WHERE c.due_at IS NOT NULL AND c.closed_at <= c.due_at)::int,
               coalesce(array_agg((extract(epoch FROM c.closed_at - c.received_at) / 3600.0)::float8 ORDER BY c.closed_at - c.received_at)
                   FILTER (WHERE c.closed_at IS NOT NULL AND NOT c.restricted), '{}')::text
        FROM incidents.cases c
        LEFT JOIN incidents.school_directory s ON s.trust_id = c.trust_id AND s.school_id = c.school_id
        WHERE c.trust_id = $1
        GROUP BY 1, 2, 3, 4
        """;

    private async Task<List<string>> RowsAsync(string sql)
    {
        await using var owner = await OwnerAsync(host);
        await using var command = new NpgsqlCommand(sql, owner);
        command.Parameters.Add(new NpgsqlParameter { Value = host.Trust });
        var rows = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add(string.Join("|", Enumerable.Range(0, reader.FieldCount).Select(i => Convert.ToString(reader.GetValue(i), CultureInfo.InvariantCulture))));
        }

        rows.Sort(StringComparer.Ordinal);
        return rows;
    }

    private async Task<HttpStatusCode> PostAsync(Trust.Platform.Hosting.Auth.DevUser user, string path, string body)
    {
        using var client = host.Service.ClientFor(user);
        using var response = await client.PostAsync(path, Json(body));
        return response.StatusCode;
    }

    private static string Staff(bool aboutHead) => JsonSerializer.Serialize(new
    {
        type = "staff_conduct_concern",
        summary = "A member of staff follows pupils",
        subject = new { kind = "staff", rosterId = Guid.CreateVersion7(), isHeadteacher = aboutHead },
    });

    [Fact]
    public async Task The_rollup_equals_a_fresh_count_of_the_cases_after_reports_closes_and_reroutes()
    {
        var reporter = IncidentsSeed.Staff(host);
        var messages = new List<Guid>();
        for (var i = 0; i < 6; i++)
        {
            // Messages received over two months: some closed by their deadline, some after it, some left open.
            messages.Add(await ReportAsync(host, reporter, AccountMessage(TestClock.Now.AddDays(-5 - (9 * i)).AddHours(i))));
        }

        var concerns = new List<Guid>();
        for (var i = 0; i < 4; i++)
        {
            concerns.Add(await ReportAsync(host, reporter, Staff(aboutHead: i % 2 == 0)));
        }

        (await RowsAsync(RollupSql)).Should().Equal(await RowsAsync(FreshSql), "after the reports");

        // Closed at once, so the deltas of one school and month meet on the same rollup rows.
        var closes = messages.Take(4).Concat(concerns.Skip(1).Take(2)).Select(id => PostAsync(Dsl(host), $"/v1/cases/{id}/close",
            """{"outcome": "resolved_internally", "significant": false}"""));
        (await Task.WhenAll(closes)).Should().AllBeEquivalentTo(HttpStatusCode.OK);
        (await RowsAsync(RollupSql)).Should().Equal(await RowsAsync(FreshSql), "after the closes");

        // Into restricted (to the chair) and out of it again, an open case and a closed one.
        foreach (var id in new[] { concerns[1], concerns[3] })
        {
            (await PostAsync(Dsl(host), $"/v1/cases/{id}/routing", """{"aboutHeadteacher": true, "reason": "The subject is the headteacher"}"""))
                .Should().Be(HttpStatusCode.OK);
        }

        (await RowsAsync(RollupSql)).Should().Equal(await RowsAsync(FreshSql), "after restricting");
        (await PostAsync(Dsl(host), $"/v1/cases/{concerns[2]}/routing", """{"aboutHeadteacher": false, "reason": "It is about a teaching assistant"}"""))
            .Should().Be(HttpStatusCode.OK);
        (await PostAsync(Dsl(host), $"/v1/cases/{concerns[0]}/close", """{"outcome": "no_further_action", "significant": false}"""))
            .Should().Be(HttpStatusCode.OK);

        var fresh = await RowsAsync(FreshSql);
        (await RowsAsync(RollupSql)).Should().Equal(fresh, "after unrestricting and closing a case about the headteacher");
        fresh.Should().Contain(r => r.Contains("||True|", StringComparison.Ordinal))
            .And.Contain(r => r.Contains("|staff_conduct_concern|False|", StringComparison.Ordinal));
    }
}
