using Trust.Platform.Messaging;
using Trust.Platform.TestSupport;

namespace Trust.Platform.Libs.Tests;

/// <summary>How a queue's worker sleeps between passes and how a commit wakes it (the outbox dispatcher, Policy's mail and webhooks). No servers.</summary>
[Trait("Category", "Unit")]
public sealed class QueueWaitTests
{
    [Theory]
    [InlineData(null, false, 120)] // nothing pending: the safety poll
    [InlineData(40, false, 40)] // a retry due in 40 s: woken then
    [InlineData(600, false, 120)] // due later than the safety poll: the poll first
    [InlineData(0, false, 1)] // fell due as the pass ended: not spun on
    [InlineData(-30, false, 1)]
    [InlineData(-30, true, 15)] // left due by a failed trust: tried again after 15 s
    [InlineData(40, true, 40)]
    public void A_worker_sleeps_until_its_queue_next_falls_due_within_the_bounds(int? dueInSeconds, bool failed, int seconds)
    {
        var now = TestClock.Now;
        DateTimeOffset? due = dueInSeconds is { } s ? now.AddSeconds(s) : null;
        QueueWait.Until(due, now, failed ? QueueWait.AfterFailure : QueueWait.Shortest, TimeSpan.FromMinutes(2))
            .Should().Be(TimeSpan.FromSeconds(seconds));
    }

    private sealed class Signal : WakeSignal;

    [Fact]
    public async Task Commits_before_the_worker_sleeps_wake_it_once_and_none_is_missed()
    {
        var signal = new Signal();
        signal.Notify();
        signal.Notify();
        signal.Notify();

        (await signal.WaitAsync(TimeSpan.FromSeconds(5), CancellationToken.None)).Should().BeTrue("a commit made while the worker was busy wakes its next sleep at once");
        (await signal.WaitAsync(TimeSpan.Zero, CancellationToken.None)).Should().BeFalse("three commits before one sleep are one wake-up, not three passes");
    }

    [Fact]
    public async Task A_sleeping_worker_is_woken_by_a_commit()
    {
        var signal = new Signal();
        var sleeping = signal.WaitAsync(TimeSpan.FromMinutes(5), CancellationToken.None);
        sleeping.IsCompleted.Should().BeFalse();

        signal.Notify();

        (await sleeping.WaitAsync(TimeSpan.FromSeconds(30))).Should().BeTrue();
    }
}
