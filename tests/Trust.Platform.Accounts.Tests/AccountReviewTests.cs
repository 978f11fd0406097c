using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using Trust.Platform.Accounts.Domain.Accounts;
using Trust.Platform.Accounts.Features.Accounts.ReviewReminders;
using Trust.Platform.Contracts;
using Trust.Platform.TestSupport;

namespace Trust.Platform.Accounts.Tests;

/// <summary>Account review reminders (AccountReviewDue: 2 weeks before, due, overdue; once each) and the register's review-due list.</summary>
public sealed class AccountReviewTests(ReplicaServiceHost<AccountsService> host) : IClassFixture<ReplicaServiceHost<AccountsService>>
{
    private readonly AccountsWorld _world = new(host);

    private async Task<(Guid School, Guid Account)> AccountReviewedOnAsync(string handle, DateOnly reviewDate, Guid? school = null)
    {
        var at = school ?? await _world.NewSchoolAsync();
        var (_, account, _, _) = await _world.ApprovedAccountAsync(at, handle);
        using var head = _world.Client(_world.Head(at));
        var read = await head.GetAsync($"/v1/accounts/{account}");
        var request = new HttpRequestMessage(HttpMethod.Put, $"/v1/accounts/{account}/review") { Content = JsonContent.Create(new { reviewDate }) };
        request.Headers.TryAddWithoutValidation("If-Match", read.Headers.ETag!.ToString());
        await Http.EnsureSuccessAsync(await head.SendAsync(request));
        return (at, account);
    }

    /// <summary>A pass of the reminder sweep with the clock at 09:00 on <paramref name="day"/> at the schools.</summary>
    private Task<int> SweepOnAsync(DateOnly day)
    {
        var services = host.Service.Services;
        var sweep = new AccountReviewReminders(services.GetRequiredService<IServiceScopeFactory>(), services.GetRequiredService<NpgsqlDataSource>(),
            new FakeTimeProvider(TestClock.At(day, new TimeOnly(9, 0))), NullLogger<AccountReviewReminders>.Instance);
        return sweep.SweepAsync(CancellationToken.None);
    }

    private async Task<List<string>> RemindersAsync(Guid account) =>
        (await _world.OutboxAsync(nameof(AccountReviewDue), account)).Select(r => r.Body["reminder"]!.GetValue<string>()).ToList();

    [Fact]
    public async Task Each_reminder_is_raised_once_on_its_day_at_the_school()
    {
        var review = TestClock.Today.AddDays(40);
        var (school, account) = await AccountReviewedOnAsync("ReviewReminded", review);

        await SweepOnAsync(review.AddDays(-15));
        (await RemindersAsync(account)).Should().BeEmpty("the first reminder is two weeks before");

        await SweepOnAsync(review.AddDays(-14));
        await SweepOnAsync(review.AddDays(-14));
        await SweepOnAsync(review.AddDays(-1));
        (await RemindersAsync(account)).Should().Equal("2_weeks");

        await SweepOnAsync(review);
        await SweepOnAsync(review);
        (await RemindersAsync(account)).Should().Equal("2_weeks", "due");

        await SweepOnAsync(review.AddDays(1));
        await SweepOnAsync(review.AddDays(5));
        (await RemindersAsync(account)).Should().Equal("2_weeks", "due", "overdue");

        var events = await _world.OutboxAsync(nameof(AccountReviewDue), account);
        events[^1].Body["schoolId"]!.GetValue<Guid>().Should().Be(school);
        events[^1].Body["reviewDate"]!.GetValue<string>().Should().Be(TestClock.Day(review));
        events[^1].Body["handle"]!.GetValue<string>().Should().Be("ReviewReminded");
    }

    [Fact]
    public async Task Reminders_missed_while_the_service_was_down_are_recorded_and_only_the_latest_announced()
    {
        var review = TestClock.Today.AddDays(40);
        var (_, account) = await AccountReviewedOnAsync("ReviewMissed", review);

        await SweepOnAsync(review.AddDays(3));
        await SweepOnAsync(review.AddDays(4));

        (await RemindersAsync(account)).Should().Equal("overdue");
    }

    [Fact]
    public async Task The_register_lists_the_accounts_due_for_review_at_the_school()
    {
        var school = await _world.NewSchoolAsync();
        var (_, soon) = await AccountReviewedOnAsync("ReviewSoon", TestClock.Today.AddDays(AccountReviews.NoticeDays), school);
        var (_, later) = await AccountReviewedOnAsync("ReviewLater", TestClock.Today.AddDays(AccountReviews.NoticeDays + 1), school);
        using var head = _world.Client(_world.Head(school));

        async Task<List<Guid>> Ids(string query) =>
            (await head.GetFromJsonAsync<JsonObject>($"/v1/accounts?schoolId={school}&{query}"))!["items"]!.AsArray().Select(a => a!["id"]!.GetValue<Guid>()).ToList();

        (await Ids("reviewDue=true")).Should().Equal(soon);
        (await Ids("reviewDue=false")).Should().Equal(later);
        (await head.GetAsync("/v1/accounts?reviewDue=soon")).StatusCode.Should().Be(HttpStatusCode.BadRequest);
    }
}
