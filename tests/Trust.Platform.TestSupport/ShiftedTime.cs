namespace Trust.Platform.TestSupport;

/// <summary>The run's clock (<see cref="TestClock"/>) moved <paramref name="ahead"/>: for a worker whose back-off a test plays forward.</summary>
public sealed class ShiftedTime(TimeSpan ahead) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => TestClock.Now + ahead;
}
