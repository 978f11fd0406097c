using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using Trust.Platform.Contracts;
using Trust.Platform.TestSupport;
using Trust.Platform.Training.Features.Completions.Expiry;

namespace Trust.Platform.Training.Tests;

public sealed class ExpirySweepTests(ReplicaServiceHost<TrainingService> host) : IClassFixture<ReplicaServiceHost<TrainingService>>
{
    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    private TrainingExpiryService SweeperAt(DateTimeOffset now) => new(
        host.Service.Services.GetRequiredService<IServiceScopeFactory>(), host.Service.Services.GetRequiredService<NpgsqlDataSource>(),
        new FixedTime(now), new ExpirySignal(), Options.Create(new ExpiryOptions()), NullLogger<TrainingExpiryService>.Instance);

    [Fact]
    public async Task A_completion_expires_when_the_clock_passes_its_expiry_date_and_only_then()
    {
        var school = await host.NewSchoolAsync();
        using var client = host.AdminClient();
        var course = await host.CourseAsync("platform:instagram", validityMonths: 12);
        await client.SyncAsync(school, [TrainingKit.Row("E1")]);
        var person = await host.PersonIdAsync(school, "E1");
        var today = TestClock.Today;
        await Http.EnsureSuccessAsync(await client.CompleteAsync(school, person, course, today));
        var expiresOn = today.AddMonths(12);

        await SweeperAt(new DateTimeOffset(expiresOn.ToDateTime(new TimeOnly(12, 0)), TimeSpan.Zero)).SweepAsync(CancellationToken.None);
        (await host.EventsAsync<TrainingExpired>(school)).Should().Be(0, "a completion is valid through its expiry date");

        await SweeperAt(new DateTimeOffset(expiresOn.AddDays(1).ToDateTime(new TimeOnly(0, 30)), TimeSpan.Zero)).SweepAsync(CancellationToken.None);
        await SweeperAt(new DateTimeOffset(expiresOn.AddDays(2).ToDateTime(new TimeOnly(0, 30)), TimeSpan.Zero)).SweepAsync(CancellationToken.None);

        (await host.EventsAsync<TrainingExpired>(school)).Should().Be(1, "the day after its expiry date it is announced, once");
        (await host.ScalarAsync("SELECT count(*) FROM training.outbox_messages WHERE message_type = $1 AND body->>'courseCode' = 'platform:instagram' AND body->>'expiredOn' = $2",
            typeof(TrainingExpired).FullName!, expiresOn.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture))).Should().BeGreaterThanOrEqualTo(1);
    }

    [Fact]
    public async Task A_leave_date_reached_between_syncs_is_announced_by_the_sweep_once()
    {
        var school = await host.NewSchoolAsync();
        using var client = host.AdminClient();
        var today = TestClock.Today;
        var leaveOn = today.AddDays(30);
        await client.SyncAsync(school, [TrainingKit.Row("F1", leave: leaveOn.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)), TrainingKit.Row("F2")]);

        await SweeperAt(new DateTimeOffset(leaveOn.AddDays(-1).ToDateTime(new TimeOnly(12, 0)), TimeSpan.Zero)).SweepAsync(CancellationToken.None);
        (await host.EventsAsync<StaffLeft>(school)).Should().Be(0, "the leave date has not come yet");

        await SweeperAt(new DateTimeOffset(leaveOn.ToDateTime(new TimeOnly(12, 0)), TimeSpan.Zero)).SweepAsync(CancellationToken.None);
        await SweeperAt(new DateTimeOffset(leaveOn.AddDays(1).ToDateTime(new TimeOnly(12, 0)), TimeSpan.Zero)).SweepAsync(CancellationToken.None);

        (await host.EventsAsync<StaffLeft>(school)).Should().Be(1);
        (await host.ScalarAsync("SELECT count(*) FROM training.people WHERE school_id = $1 AND left_at IS NOT NULL", school)).Should().Be(1);
    }
}
