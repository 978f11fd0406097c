using System.Net.Http.Json;
using System.Text.Json;
using Trust.Platform.Contracts;
using Trust.Platform.Hosting.Http;
using Trust.Platform.TestSupport;
using Trust.Platform.Training.Domain.Sessions;

namespace Trust.Platform.Training.Tests;

/// <summary>
/// 002 l.259-261: pupil and parent sessions count per term (termly) or over twelve months (annual), from the school's
/// published cadences and the trust's terms; every date is taken from the run's clock, so the tests hold on any day.
/// </summary>
public sealed class SessionComplianceTests(ReplicaServiceHost<TrainingService> host) : IClassFixture<ReplicaServiceHost<TrainingService>>
{
    private static readonly DateOnly Today = TestClock.Today;

    /// <summary>An earlier term (ended weeks ago) and the term today falls in.</summary>
    private static readonly IReadOnlyList<Term> Terms =
    [
        new("Earlier term", Today.AddDays(-120), Today.AddDays(-60)),
        new("This term", Today.AddDays(-20), Today.AddDays(30)),
    ];

    private async Task<Guid> SchoolAsync(string pupilCadence, string parentCadence)
    {
        var school = await host.NewSchoolAsync();
        await host.PublishPolicyAsync(PolicyKit.Published(host.Trust, school, "2.0", true, terms: Terms, pupilCadence: pupilCadence, parentCadence: parentCadence));
        return school;
    }

    private async Task RecordAsync(Guid school, SessionAudience audience, DateOnly heldOn)
    {
        using var client = host.AdminClient();
        var response = await client.PostAsJsonAsync($"/v1/schools/{school}/sessions", audience == SessionAudience.Pupils
            ? new { audience = "pupils", topic = "A SMART approach to social media", heldOn, deliveredBy = "Computing Lead", yearGroup = "Year 5" }
            : (object)new { audience = "parents", topic = "Online safety for parents", heldOn, deliveredBy = "DSL", attendanceCount = 18 });
        await Http.EnsureSuccessAsync(response);
    }

    private async Task<Dictionary<string, JsonElement>> SessionsAsync(Guid school)
    {
        using var client = host.AdminClient();
        var body = await client.GetJsonAsync($"/v1/schools/{school}/compliance");
        return body.GetProperty("sessions").EnumerateArray().ToDictionary(s => s.GetProperty("audience").GetString()!, s => s);
    }

    [Fact]
    public async Task Termly_a_school_whose_only_session_was_last_term_is_not_compliant_this_term()
    {
        var school = await SchoolAsync("termly", "termly");
        await RecordAsync(school, SessionAudience.Pupils, Today.AddDays(-80));
        await RecordAsync(school, SessionAudience.Parents, Today.AddDays(-90));

        var sessions = await SessionsAsync(school);
        foreach (var audience in new[] { "pupils", "parents" })
        {
            sessions[audience].GetProperty("cadence").GetString().Should().Be("termly");
            sessions[audience].GetProperty("period").GetString().Should().Be("This term");
            sessions[audience].GetProperty("periodStart").GetString().Should().Be(Today.AddDays(-20).ToString("yyyy-MM-dd"));
            sessions[audience].GetProperty("sessionsHeld").GetInt32().Should().Be(0);
            sessions[audience].GetProperty("compliant").GetBoolean().Should().BeFalse();
        }

        sessions["pupils"].GetProperty("lastHeldOn").GetString().Should().Be(Today.AddDays(-80).ToString("yyyy-MM-dd"));
    }

    [Fact]
    public async Task Annual_the_same_session_last_term_keeps_the_school_compliant()
    {
        var school = await SchoolAsync("annual", "annual");
        await RecordAsync(school, SessionAudience.Pupils, Today.AddDays(-80));
        await RecordAsync(school, SessionAudience.Parents, Today.AddDays(-90));

        var sessions = await SessionsAsync(school);
        foreach (var audience in new[] { "pupils", "parents" })
        {
            sessions[audience].GetProperty("cadence").GetString().Should().Be("annual");
            sessions[audience].GetProperty("periodStart").GetString().Should().Be(Today.AddMonths(-12).AddDays(1).ToString("yyyy-MM-dd"));
            sessions[audience].GetProperty("sessionsHeld").GetInt32().Should().Be(1);
            sessions[audience].GetProperty("compliant").GetBoolean().Should().BeTrue();
        }
    }

    [Fact]
    public async Task Each_audience_follows_its_own_cadence_and_a_session_this_term_makes_termly_compliant()
    {
        var school = await SchoolAsync("termly", "annual");
        await RecordAsync(school, SessionAudience.Pupils, Today.AddDays(-80));
        await RecordAsync(school, SessionAudience.Parents, Today.AddDays(-80));

        var before = await SessionsAsync(school);
        before["pupils"].GetProperty("compliant").GetBoolean().Should().BeFalse();
        before["parents"].GetProperty("compliant").GetBoolean().Should().BeTrue();

        await RecordAsync(school, SessionAudience.Pupils, Today.AddDays(-5));
        var after = await SessionsAsync(school);
        after["pupils"].GetProperty("sessionsHeld").GetInt32().Should().Be(1);
        after["pupils"].GetProperty("compliant").GetBoolean().Should().BeTrue();
    }

    [Fact]
    public async Task A_session_older_than_twelve_months_does_not_count_under_annual()
    {
        var school = await SchoolAsync("annual", "annual");
        await RecordAsync(school, SessionAudience.Pupils, Today.AddMonths(-13));

        var sessions = await SessionsAsync(school);
        sessions["pupils"].GetProperty("compliant").GetBoolean().Should().BeFalse();
        sessions["parents"].GetProperty("compliant").GetBoolean().Should().BeFalse();
        sessions["parents"].GetProperty("lastHeldOn").ValueKind.Should().Be(JsonValueKind.Null);
    }
}

/// <summary>The session period rule as pure logic (002 l.259-261).</summary>
[Trait("Category", "Unit")]
public sealed class SessionCadenceTests
{
    private static readonly IReadOnlyList<Term> Terms =
    [
        new("Autumn 2026", new DateOnly(2026, 9, 2), new DateOnly(2026, 12, 18)),
        new("Spring 2027", new DateOnly(2027, 1, 4), new DateOnly(2027, 3, 26)),
    ];

    [Fact]
    public void Termly_the_period_is_the_term_the_day_falls_in() =>
        SessionCadence.PeriodOf("termly", Terms, new DateOnly(2027, 2, 10)).Should().Be(new SessionPeriod("Spring 2027", new DateOnly(2027, 1, 4), new DateOnly(2027, 3, 26)));

    [Fact]
    public void Termly_between_terms_the_period_is_the_term_just_ended() =>
        SessionCadence.PeriodOf("termly", Terms, new DateOnly(2026, 12, 28)).Name.Should().Be("Autumn 2026");

    [Fact]
    public void Termly_before_any_published_term_has_begun_the_period_is_the_twelve_months_to_the_day()
    {
        SessionCadence.PeriodOf("termly", Terms, new DateOnly(2026, 8, 20)).Start.Should().Be(new DateOnly(2025, 8, 21));
        SessionCadence.PeriodOf("termly", [], new DateOnly(2026, 8, 20)).End.Should().Be(new DateOnly(2026, 8, 20));
    }

    [Fact]
    public void Annual_the_period_is_the_twelve_months_to_the_day_whatever_the_terms() =>
        SessionCadence.PeriodOf("annual", Terms, new DateOnly(2027, 2, 10)).Should().Be(
            new SessionPeriod("The twelve months to 2027-02-10", new DateOnly(2026, 2, 11), new DateOnly(2027, 2, 10)));

    [Fact]
    public void A_session_recorded_for_a_later_day_does_not_count_yet()
    {
        var period = SessionCadence.PeriodOf("termly", Terms, new DateOnly(2026, 10, 1));
        SessionCadence.HeldIn(period, [new DateOnly(2026, 10, 1), new DateOnly(2026, 11, 1)], new DateOnly(2026, 10, 1)).Should().Be(1);
    }
}
