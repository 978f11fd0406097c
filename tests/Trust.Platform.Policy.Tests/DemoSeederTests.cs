using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Npgsql;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Hosting.Time;
using Trust.Platform.Policy.Demo;
using Trust.Platform.TestSupport;

namespace Trust.Platform.Policy.Tests;

/// <summary>
/// <c>deploy/run.sh</c>'s seed (<c>seed-demo</c>) run by a Policy service whose clock is fixed at each of the days the
/// demo must make sense on (docs/adr/0007): the Christmas and summer holidays, the leap day and the night the clocks go
/// forward. Each run has a database of its own, as a first <c>run.sh</c> on a new machine would.
/// </summary>
public sealed class DemoSeederTests
{
    private static readonly DevUser Ceo = new("demo-ceo", "AET chief executive", DemoSeeder.TrustId, [Roles.TrustAdmin]);

    private static readonly Dictionary<string, string> SchoolIds = DemoSeeder.Schools.ToDictionary(s => s.Name, s => s.Id.ToString());

    /// <summary>A Policy service on <paramref name="servers"/> whose clock reads <paramref name="instant"/> now.</summary>
    private static ServiceFactory<PolicyService> PolicyAt(TestServers servers, string instant) => new(servers, new Dictionary<string, string?>
    {
        [PlatformClock.NowKey] = instant,
        [PlatformClock.AnchorKey] = TimeProvider.System.GetUtcNow().ToString("O", CultureInfo.InvariantCulture),
    });

    private static async Task<string> SeedAsync(ServiceFactory<PolicyService> policy)
    {
        var output = new StringWriter();
        (await DemoSeeder.RunAsync(policy.Services, output)).Should().Be(0);
        return output.ToString();
    }

    private static DateOnly DayOn(ServiceFactory<PolicyService> policy) =>
        PlatformClock.LocalDate(policy.Services.GetRequiredService<TimeProvider>().GetUtcNow(), "Europe/London");

    private static DateOnly Date(JsonNode? node) => DateOnly.ParseExact(node!.GetValue<string>(), "yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static async Task<JsonArray> TermsAsync(HttpClient ceo)
    {
        var effective = await ceo.GetFromJsonAsync<JsonObject>($"/v1/schools/{SchoolIds["Mellers Primary School"]}/policy/effective");
        return effective!["settings"]!.AsArray().Single(s => s!["key"]!.GetValue<string>() == "calendar.terms")!["value"]!.AsArray();
    }

    [Theory]
    [InlineData("2026-12-24T09:00 Europe/London", null, "Spring 2027")]
    [InlineData("2027-08-01T09:00 Europe/London", null, "Autumn 2027")]
    [InlineData("2028-02-29T09:00 Europe/London", "Spring 2028", "Summer 2028")]
    [InlineData("2027-03-28T01:30 Europe/London", null, "Summer 2027")]
    public async Task The_demo_seeded_on_a_holiday_a_leap_day_or_the_night_the_clocks_change_has_a_current_or_next_term_a_review_ahead_and_one_school_overdue(
        string instant, string? currentTerm, string nextTerm)
    {
        await using var servers = await TestServers.CreateAsync("demoseed");
        await using var policy = PolicyAt(servers, instant);
        var printed = await SeedAsync(policy);
        var today = DayOn(policy);
        using var ceo = policy.ClientFor(Ceo);

        var terms = await TermsAsync(ceo);
        terms.Should().HaveCount(6, "this school year's terms and next year's");
        terms.SingleOrDefault(t => Date(t!["start"]) <= today && today <= Date(t!["end"]))?["name"]!.GetValue<string>().Should().Be(currentTerm);
        terms.First(t => Date(t!["start"]) > today)!["name"]!.GetValue<string>().Should().Be(nextTerm);
        printed.Should().Contain("Demo day: ").And.Contain(currentTerm ?? $"holiday, {nextTerm} starts");

        var reviews = (await ceo.GetFromJsonAsync<JsonArray>("/v1/policy/reviews"))!.ToDictionary(r => r!["schoolName"]!.GetValue<string>(), r => r!);
        reviews.Should().HaveCount(4);
        reviews.Values.Where(r => r["overdue"]!.GetValue<bool>()).Select(r => r["schoolName"]!.GetValue<string>()).Should().Equal("Mellers Primary School");
        foreach (var inheriting in new[] { "Newbury School", "Brierley Hill Primary School" })
        {
            var review = Date(reviews[inheriting]["nextReviewDate"]);
            review.Should().BeAfter(today.AddMonths(3), "the trust's review date is a few months ahead").And.BeBefore(today.AddMonths(6));
            reviews[inheriting]["status"]!.GetValue<string>().Should().Be("ok");
            reviews[inheriting]["reminders"]!.AsArray().Should().OnlyContain(r => r!["sentAt"] == null, "no reminder is due yet");
        }

        var basford = reviews["Old Basford School"];
        basford["status"]!.GetValue<string>().Should().Be("upcoming");
        var sent = basford["reminders"]!.AsArray().Where(r => r!["sentAt"] != null).Select(r => r!["reminder"]!.GetValue<string>()).ToList();
        sent.Should().Contain("2_months", "the seed sends the reminders already due on its day").And.NotContain("due");
        basford["reminders"]!.AsArray().Should().OnlyContain(r => (r!["sentAt"] != null) == (Date(r["dueOn"]) <= today));
        reviews["Mellers Primary School"]["reminders"]!.AsArray().Should().OnlyContain(r => r!["sentAt"] != null);
        printed.Should().Contain("overdue").And.Contain("(reminders sent: 2_months");
    }

    [Fact]
    public async Task Seeding_again_on_a_later_day_rolls_the_seeds_dates_forward_as_a_minor_version_and_keeps_a_headteachers_own()
    {
        await using var servers = await TestServers.CreateAsync("demoroll");
        await using (var christmas = PolicyAt(servers, "2026-12-24T09:00 Europe/London"))
        {
            await SeedAsync(christmas);
        }

        await using var summer = PolicyAt(servers, "2027-08-01T09:00 Europe/London");
        var today = DayOn(summer);
        // Newbury's headteacher sets the school's own review date: the seed did not write it, so a later seed keeps it.
        var newbury = SchoolIds["Newbury School"];
        using var head = summer.ClientFor(new DevUser("demo-newbury-headteacher", "Head", DemoSeeder.TrustId, [$"{Roles.Headteacher}:{newbury}"]));
        var own = today.AddMonths(2).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        await PolicyFixture.PutAsync(head, $"/v1/schools/{newbury}/policy/overrides/review.next_review_date", new JsonObject { ["value"] = own });

        var printed = await SeedAsync(summer);
        var again = await SeedAsync(summer);

        printed.Should().Contain("rolled forward").And.Contain("version 1.1 published");
        again.Should().NotContain("rolled forward", "nothing moved since the last seed");
        using var ceo = summer.ClientFor(Ceo);
        var versions = (await ceo.GetFromJsonAsync<JsonArray>("/v1/policy/versions"))!;
        versions.Select(v => (v!["version"]!.GetValue<string>(), v["kind"]!.GetValue<string>(), v["status"]!.GetValue<string>()))
            .Should().Equal(("1.1", "minor", "published"), ("1.0", "major", "superseded"));
        (await TermsAsync(ceo)).Select(t => t!["name"]!.GetValue<string>()).Should().Equal(EnglishSchoolYear.ThisYearAndNext(today).Select(t => t.Name));
        var reviews = (await ceo.GetFromJsonAsync<JsonArray>("/v1/policy/reviews"))!.ToDictionary(r => r!["schoolName"]!.GetValue<string>(), r => r!);
        reviews["Newbury School"]["nextReviewDate"]!.GetValue<string>().Should().Be(own);
        Date(reviews["Brierley Hill Primary School"]["nextReviewDate"]).Should().Be(DemoPolicy.Dates.For(today).TrustReview);
        Date(reviews["Old Basford School"]["nextReviewDate"]).Should().Be(DemoPolicy.Dates.For(today).OldBasfordReview);
        reviews["Mellers Primary School"]["status"]!.GetValue<string>().Should().Be("overdue");

        // Every service learns the new calendar: 1.1 is published to each school.
        await using var owner = new NpgsqlConnection(servers.Database.OwnerConnectionString);
        await owner.OpenAsync();
        await using var published = new NpgsqlCommand(
            "SELECT count(*) FROM policy.outbox_events WHERE message_type = 'Trust.Platform.Contracts.PolicyPublished' AND body->>'version' = '1.1'", owner);
        ((long)(await published.ExecuteScalarAsync())!).Should().Be(4);
    }
}
