using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.TestSupport;

namespace Trust.Platform.Incidents.Tests.Cases;

/// <summary>Case statistics on known data: exact figures, CSV, restricted cases counted but never described, who may ask.</summary>
public sealed class CaseStatisticsTests(ReplicaServiceHost<IncidentsService> host) : IClassFixture<ReplicaServiceHost<IncidentsService>>
{
    private async Task<(HttpStatusCode Status, string Text, string? ContentType)> GetAsync(DevUser user, string path, string? accept = null)
    {
        using var client = host.Service.ClientFor(user);
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (accept is not null)
        {
            request.Headers.Accept.Add(MediaTypeWithQualityHeaderValue.Parse(accept));
        }

        using var response = await client.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(), response.Content.Headers.ContentType?.MediaType);
    }

    private async Task<JsonElement> StatisticsAsync(DevUser user, string path)
    {
        var (status, text, _) = await GetAsync(user, path);
        status.Should().Be(HttpStatusCode.OK, text);
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    private static string Figures(JsonElement e) => string.Join(",", new[] { "cases", "restricted", "slaDue", "slaMet", "slaMetShare", "closed", "medianHoursToClose" }
        .Select(p => e.TryGetProperty(p, out var v) ? v.ValueKind == JsonValueKind.Null ? "-" : v.GetRawText() : "absent"));

    [Fact]
    public async Task A_schools_statistics_give_exact_counts_by_type_and_month_the_sla_share_and_the_median_time_to_close()
    {
        var world = await CaseWorld.SharedAsync(host);

        var s = await StatisticsAsync(world.HeadA, $"/v1/schools/{world.SchoolA}/cases/statistics?from=2026-09&to=2026-10");

        s.GetProperty("from").GetString().Should().Be("2026-09");
        // Cases 1-7; 5 and 6 restricted. SLA: 1 answered in 2 h, 2 after its deadline, 3 open past it. Closed: 1 (2 h), 2 and 4 (72 h).
        Figures(s.GetProperty("totals")).Should().Be("7,2,3,1,0.333,3,72");
        s.GetProperty("byType").EnumerateArray().Select(t => t.GetProperty("type").GetString() + ":" + Figures(t)).Should().Equal(
            "cyberbullying:1,absent,0,0,-,0,-",
            "staff_conduct_concern:1,absent,0,0,-,1,72",
            "account_message:3,absent,3,1,0.333,2,37");
        // Case 3 arrived at 23:30 UTC on 30 September: 1 October at the school.
        s.GetProperty("byMonth").EnumerateArray().Select(m => m.GetProperty("month").GetString() + ":" + Figures(m)).Should().Equal(
            "2026-09:2,0,2,1,0.5,2,37",
            "2026-10:5,2,1,0,0,1,72");
        s.GetProperty("bySchool").EnumerateArray().Select(m => m.GetProperty("schoolId").GetGuid() + ":" + Figures(m)).Should().Equal(
            $"{world.SchoolA}:7,2,3,1,0.333,3,72");
    }

    [Fact]
    public async Task The_trust_statistics_count_every_school_and_month_with_restricted_cases_in_totals_only()
    {
        var world = await CaseWorld.SharedAsync(host);

        var s = await StatisticsAsync(world.Admin, "/v1/cases/statistics?from=2026-09&to=2026-12");

        Figures(s.GetProperty("totals")).Should().Be("9,3,3,1,0.333,3,72");
        s.GetProperty("bySchool").EnumerateArray().Select(m => m.GetProperty("schoolId").GetGuid() + ":" + Figures(m)).Should().Equal(
            $"{world.SchoolA}:7,2,3,1,0.333,3,72",
            $"{world.SchoolB}:2,1,0,0,-,0,-");
        s.GetProperty("byMonth").EnumerateArray().Select(m => m.GetProperty("month").GetString() + ":" + Figures(m)).Should().Equal(
            "2026-09:2,0,2,1,0.5,2,37", "2026-10:5,2,1,0,0,1,72", "2026-11:2,1,0,0,-,0,-", "2026-12:0,0,0,0,-,0,-");
        s.GetProperty("byType").EnumerateArray().Select(t => t.GetProperty("type").GetString() + ":" + t.GetProperty("cases").GetInt32()).Should().Equal(
            "cyberbullying:2", "staff_conduct_concern:1", "account_message:3");
    }

    [Fact]
    public async Task A_month_with_one_restricted_case_reveals_nothing_of_it_by_subtraction_and_another_changes_only_the_counts()
    {
        // A world of its own: this test adds a case.
        var world = await CaseWorld.CreateAsync(host);
        var path = $"/v1/schools/{world.SchoolB}/cases/statistics?from=2026-11&to=2026-11";
        var before = await StatisticsAsync(world.HeadB, path);

        // November at school B: one cyberbullying case and one restricted inappropriate contact. The type rows add up to the
        // unrestricted cases only, so total minus types is the restricted count the answer states, and no type row names it.
        Figures(before.GetProperty("totals")).Should().Be("2,1,0,0,-,0,-");
        before.GetProperty("byType").EnumerateArray().Select(t => t.GetProperty("type").GetString()).Should().Equal("cyberbullying");
        before.GetProperty("byType").EnumerateArray().Sum(t => t.GetProperty("cases").GetInt32())
            .Should().Be(before.GetProperty("totals").GetProperty("cases").GetInt32() - before.GetProperty("totals").GetProperty("restricted").GetInt32());

        // A second restricted case, of another type, closed within a day and with an SLA deadline it met: only cases and restricted move.
        await world.InsertAsync(host, 10, world.SchoolB, "account_message", CaseWorld.At(11, 20, 9), due: CaseWorld.At(11, 21, 9),
            closed: CaseWorld.At(11, 20, 10), subjectKind: "staff", subject: world.HeadStaffId.ToString(), role: "chair", restricted: true, aboutHead: true);
        var after = await StatisticsAsync(world.HeadB, path);

        Figures(after.GetProperty("totals")).Should().Be("3,2,0,0,-,0,-");
        after.GetProperty("byType").GetRawText().Should().Be(before.GetProperty("byType").GetRawText());
        Figures(after.GetProperty("byMonth")[0]).Should().Be("3,2,0,0,-,0,-");
    }

    [Fact]
    public async Task Restricted_cases_details_are_never_in_the_json_or_the_csv()
    {
        var world = await CaseWorld.SharedAsync(host);
        var secrets = new[] { "inappropriate_contact", "pupil_conduct_concern", "MIS-SECRET-77", "MIS-W9", "secret-summary", "w-reporter",
            world.Ids[5].ToString(), world.Ids[6].ToString(), world.Ids[9].ToString(), world.HeadStaffId.ToString() };

        foreach (var (user, path) in new[]
        {
            (world.Admin, "/v1/cases/statistics?from=2026-01&to=2026-12"),
            (world.DslA, $"/v1/schools/{world.SchoolA}/cases/statistics?from=2026-09&to=2026-11"),
            (world.HeadB, $"/v1/schools/{world.SchoolB}/cases/statistics?from=2026-11&to=2026-11"),
        })
        {
            foreach (var accept in new[] { "application/json", "text/csv" })
            {
                var (status, text, _) = await GetAsync(user, path, accept);
                status.Should().Be(HttpStatusCode.OK);
                foreach (var secret in secrets)
                {
                    text.Should().NotContainEquivalentOf(secret, $"{path} as {accept}");
                }
            }
        }
    }

    [Fact]
    public async Task Accept_text_csv_gives_the_same_figures_one_line_per_group()
    {
        var world = await CaseWorld.SharedAsync(host);

        var (status, text, type) = await GetAsync(world.Chair, $"/v1/schools/{world.SchoolA}/cases/statistics?from=2026-09&to=2026-10", "text/csv");

        status.Should().Be(HttpStatusCode.OK);
        type.Should().Be("text/csv");
        text.Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Should().Equal(
            "from,to,group,key,cases,restricted,sla_due,sla_met,sla_met_share,closed,median_hours_to_close",
            "2026-09,2026-10,total,,7,2,3,1,0.333,3,72",
            "2026-09,2026-10,type,cyberbullying,1,,0,0,,0,",
            "2026-09,2026-10,type,staff_conduct_concern,1,,0,0,,1,72",
            "2026-09,2026-10,type,account_message,3,,3,1,0.333,2,37",
            "2026-09,2026-10,month,2026-09,2,0,2,1,0.5,2,37",
            "2026-09,2026-10,month,2026-10,5,2,1,0,0,1,72",
            $"2026-09,2026-10,school,{world.SchoolA},7,2,3,1,0.333,3,72");
    }

    [Fact]
    public async Task Statistics_are_for_the_schools_leaders_and_the_trust_admins_and_another_trust_or_school_is_a_404()
    {
        var world = await CaseWorld.SharedAsync(host);
        var school = $"/v1/schools/{world.SchoolA}/cases/statistics?from=2026-09&to=2026-10";
        var otherAdmin = new DevUser("w-other", "Other admin", Guid.CreateVersion7(), [Roles.TrustAdmin]);

        foreach (var user in new[] { world.HeadA, world.DslA, world.Chair, world.Admin })
        {
            (await GetAsync(user, school)).Status.Should().Be(HttpStatusCode.OK, user.Subject);
        }

        (await GetAsync(world.StaffA, school)).Status.Should().Be(HttpStatusCode.Forbidden);
        (await GetAsync(world.HeadB, school)).Status.Should().Be(HttpStatusCode.NotFound);
        (await GetAsync(otherAdmin, school)).Status.Should().Be(HttpStatusCode.NotFound);
        (await GetAsync(otherAdmin, school, "text/csv")).Status.Should().Be(HttpStatusCode.NotFound);
        (await GetAsync(world.HeadA, "/v1/cases/statistics?from=2026-09&to=2026-10")).Status.Should().Be(HttpStatusCode.Forbidden);
        Figures((await StatisticsAsync(otherAdmin, "/v1/cases/statistics?from=2026-09&to=2026-10")).GetProperty("totals")).Should().Be("0,0,0,0,-,0,-");
    }

    [Theory]
    [InlineData("to=2026-10", "from")]
    [InlineData("from=2026-13&to=2026-10", "from")]
    [InlineData("from=2026-10-01&to=2026-10", "from")]
    [InlineData("from=2026-10&to=2026-09", "to")]
    [InlineData("from=2020-01&to=2026-01", "to")]
    public async Task A_bad_month_range_is_a_400_naming_the_parameter(string range, string field)
    {
        var world = await CaseWorld.SharedAsync(host);

        foreach (var path in new[] { $"/v1/schools/{world.SchoolA}/cases/statistics?{range}", $"/v1/cases/statistics?{range}" })
        {
            var (status, text, _) = await GetAsync(world.Admin, path);
            status.Should().Be(HttpStatusCode.BadRequest, path);
            JsonDocument.Parse(text).RootElement.GetProperty("errors").TryGetProperty(field, out _).Should().BeTrue(text);
        }
    }

    [Fact]
    public async Task In_a_trust_whose_schools_are_in_two_time_zones_each_case_counts_in_its_own_schools_month()
    {
        var world = await CaseWorld.CreateAsync(host);
        var abroad = Guid.CreateVersion7();
        await host.PublishAsync(new Trust.Platform.Contracts.SchoolAdded(
            Guid.CreateVersion7(), world.Trust, abroad, TestClock.Now, "World C Overseas", "654321", "secondary", null, "America/New_York", 1));
        using (var client = host.Service.ClientFor(world.Admin))
        {
            await Eventually.Until(async () => (await client.GetAsync($"/v1/schools/{abroad}/cases")).StatusCode,
                s => s == HttpStatusCode.OK, because: "the school reached the directory replica");
        }

        // 02:00 UTC on 1 November is still 31 October in New York (and 1 November in London, as case 3 shows the other way).
        await world.InsertAsync(host, 11, abroad, "offensive_comment", CaseWorld.At(11, 1, 2));

        var s = await StatisticsAsync(world.Admin, "/v1/cases/statistics?from=2026-09&to=2026-11");

        s.GetProperty("byMonth").EnumerateArray().Select(m => m.GetProperty("month").GetString() + ":" + m.GetProperty("cases").GetInt32() + "/" + m.GetProperty("restricted").GetInt32())
            .Should().Equal("2026-09:2/0", "2026-10:6/2", "2026-11:2/1");
        s.GetProperty("bySchool").EnumerateArray().Select(m => m.GetProperty("cases").GetInt32()).Should().Equal(7, 2, 1);
        Figures(s.GetProperty("totals")).Should().Be("10,3,3,1,0.333,3,72");
    }
}
