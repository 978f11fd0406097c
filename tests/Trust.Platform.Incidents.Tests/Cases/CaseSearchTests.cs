using System.Net;
using System.Text.Json;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.TestSupport;

namespace Trust.Platform.Incidents.Tests.Cases;

/// <summary>Finding cases: a school's list and the trust-wide search, each filter, paging across filters, and visibility unchanged.</summary>
public sealed class CaseSearchTests(ReplicaServiceHost<IncidentsService> host) : IClassFixture<ReplicaServiceHost<IncidentsService>>
{
    private async Task<(HttpStatusCode Status, JsonElement Body)> GetAsync(DevUser user, string path)
    {
        using var client = host.Service.ClientFor(user);
        using var response = await client.GetAsync(path);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length > 0 ? JsonDocument.Parse(text).RootElement.Clone() : default);
    }

    /// <summary>The case numbers of <see cref="CaseWorld"/> a list answers, following every cursor.</summary>
    private async Task<List<int>> ListedAsync(CaseWorld world, DevUser user, string path, int limit = 200)
    {
        var numbers = world.Ids.ToDictionary(p => p.Value, p => p.Key);
        var found = new List<int>();
        string? cursor = null;
        var separator = path.Contains('?', StringComparison.Ordinal) ? "&" : "?";
        do
        {
            var (status, body) = await GetAsync(user, $"{path}{separator}limit={limit}" + (cursor is null ? "" : $"&cursor={cursor}"));
            status.Should().Be(HttpStatusCode.OK);
            found.AddRange(body.GetProperty("items").EnumerateArray().Select(i => numbers.TryGetValue(i.GetProperty("id").GetGuid(), out var n) ? n : -1));
            cursor = body.GetProperty("nextCursor").ValueKind == JsonValueKind.Null ? null : body.GetProperty("nextCursor").GetString();
        }
        while (cursor is not null);

        return found;
    }

    [Fact]
    public async Task A_headteachers_search_never_returns_a_restricted_case_or_one_about_them()
    {
        var world = await CaseWorld.SharedAsync(host);
        var school = $"/v1/schools/{world.SchoolA}/cases";

        (await ListedAsync(world, world.HeadA, school)).Should().Equal(1, 2, 3, 4);
        (await ListedAsync(world, world.HeadA, $"{school}?subject={world.HeadStaffId}")).Should().BeEmpty();
        (await ListedAsync(world, world.HeadA, $"{school}?type=cyberbullying")).Should().BeEmpty();
        (await ListedAsync(world, world.HeadA, $"{school}?assignedRole=dsl")).Should().BeEmpty();
        (await ListedAsync(world, world.HeadA, $"{school}?reportedFrom=2026-10-01&reportedTo=2026-10-31")).Should().Equal(3, 4);
        (await ListedAsync(world, world.DslA, school)).Should().Equal(1, 2, 3, 4, 5, 6, 7);
    }

    [Theory]
    [InlineData("type=account_message", new[] { 1, 2, 3 })]
    [InlineData("type=staff_conduct_concern", new[] { 4, 6 })]
    [InlineData("status=closed", new[] { 1, 2, 4, 5 })]
    [InlineData("status=open", new[] { 3, 6, 7 })]
    [InlineData("overdue=true", new[] { 3 })]
    [InlineData("overdue=false", new[] { 1, 2, 4, 5, 6, 7 })]
    [InlineData("assignedRole=dsl", new[] { 5 })]
    [InlineData("assignedRole=chair", new[] { 6 })]
    [InlineData("subject=MIS-W9", new[] { 5 })]
    [InlineData("reportedTo=2026-09-30", new[] { 1, 2 })]
    [InlineData("reportedFrom=2026-10-01&reportedTo=2026-10-01", new[] { 3 })]
    [InlineData("reportedFrom=2026-10-06&reportedTo=2026-10-20", new[] { 5, 6 })]
    [InlineData("type=account_message&status=closed&reportedFrom=2026-09-11", new[] { 2 })]
    public async Task Each_filter_of_a_schools_list_gives_the_dsl_exactly_the_matching_cases(string filter, int[] expected)
    {
        var world = await CaseWorld.SharedAsync(host);

        (await ListedAsync(world, world.DslA, $"/v1/schools/{world.SchoolA}/cases?{filter}")).Should().Equal(expected);
    }

    [Fact]
    public async Task A_day_is_the_schools_day_so_a_report_at_half_past_eleven_utc_in_summer_time_counts_on_the_next_day()
    {
        var world = await CaseWorld.SharedAsync(host);

        (await ListedAsync(world, world.DslA, $"/v1/schools/{world.SchoolA}/cases?reportedFrom=2026-09-30&reportedTo=2026-09-30")).Should().BeEmpty();
        (await ListedAsync(world, world.DslA, $"/v1/schools/{world.SchoolA}/cases?reportedFrom=2026-10-01&reportedTo=2026-10-01")).Should().Equal(3);
    }

    [Fact]
    public async Task A_roster_id_finds_the_case_about_that_person_whatever_case_it_is_written_in()
    {
        var world = await CaseWorld.SharedAsync(host);

        (await ListedAsync(world, world.DslA, $"/v1/schools/{world.SchoolA}/cases?subject={world.TeacherStaffId.ToString().ToUpperInvariant()}")).Should().Equal(4);
    }

    [Fact]
    public async Task Paging_one_case_at_a_time_across_filters_returns_each_match_once_in_order()
    {
        var world = await CaseWorld.SharedAsync(host);

        (await ListedAsync(world, world.DslA, $"/v1/schools/{world.SchoolA}/cases?status=closed&reportedFrom=2026-09-01", limit: 1)).Should().Equal(1, 2, 4, 5);
        (await ListedAsync(world, world.Admin, "/v1/cases?overdue=false", limit: 2)).Should().Equal(1, 2, 4, 7, 8);
    }

    [Fact]
    public async Task The_trust_wide_search_filters_by_school_and_never_lists_a_restricted_case()
    {
        var world = await CaseWorld.SharedAsync(host);

        (await ListedAsync(world, world.Admin, "/v1/cases")).Should().Equal(1, 2, 3, 4, 7, 8);
        (await ListedAsync(world, world.Admin, $"/v1/cases?schoolId={world.SchoolB}")).Should().Equal(8);
        (await ListedAsync(world, world.Admin, "/v1/cases?type=cyberbullying&reportedFrom=2026-10-01&reportedTo=2026-12-31")).Should().Equal(7, 8);
        (await ListedAsync(world, world.Admin, "/v1/cases?type=inappropriate_contact")).Should().BeEmpty();
    }

    [Fact]
    public async Task Another_trusts_admin_finds_none_of_the_trusts_cases_and_another_schools_list_is_a_404()
    {
        var world = await CaseWorld.SharedAsync(host);
        var otherAdmin = new DevUser("w-other", "Other admin", Guid.CreateVersion7(), [Roles.TrustAdmin]);

        (await ListedAsync(world, otherAdmin, $"/v1/cases?schoolId={world.SchoolA}")).Should().BeEmpty();
        (await GetAsync(otherAdmin, $"/v1/schools/{world.SchoolA}/cases")).Status.Should().Be(HttpStatusCode.NotFound);
        (await GetAsync(world.HeadB, $"/v1/schools/{world.SchoolA}/cases?type=account_message")).Status.Should().Be(HttpStatusCode.NotFound);
        (await GetAsync(world.HeadA, "/v1/cases")).Status.Should().Be(HttpStatusCode.Forbidden);
    }

    [Theory]
    [InlineData("type=nope", "type")]
    [InlineData("status=pending", "status")]
    [InlineData("assignedRole=caretaker", "assignedRole")]
    [InlineData("reportedFrom=2026-10-02&reportedTo=2026-10-01", "reportedTo")]
    [InlineData("reportedFrom=1900-01-01", "reportedFrom")]
    [InlineData("limit=0", "limit")]
    public async Task A_bad_filter_is_a_400_naming_the_parameter(string filter, string field)
    {
        var world = await CaseWorld.SharedAsync(host);

        foreach (var path in new[] { $"/v1/schools/{world.SchoolA}/cases?{filter}", $"/v1/cases?{filter}" })
        {
            var (status, body) = await GetAsync(world.Admin, path);
            status.Should().Be(HttpStatusCode.BadRequest, path);
            body.GetProperty("errors").TryGetProperty(field, out _).Should().BeTrue(body.ToString());
        }
    }
}
