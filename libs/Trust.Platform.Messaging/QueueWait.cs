namespace Trust.Platform.Messaging;

/// <summary>
/// How long a queue's worker sleeps between passes: the outbox dispatcher, and Policy's mail sender and webhook deliverer,
/// decide it the same way (docs/adr/0160).
/// </summary>
public static class QueueWait
{
    /// <summary>The shortest sleep after a pass that went well (a row that fell due as the pass ended waits this long).</summary>
    public static readonly TimeSpan Shortest = TimeSpan.FromSeconds(1);

    /// <summary>The shortest sleep after a pass in which a trust failed: its rows stay due, and are tried again after this.</summary>
    public static readonly TimeSpan AfterFailure = TimeSpan.FromSeconds(15);

    /// <summary>
    /// How long a worker sleeps after a pass: until the queue's next pending row falls due (<paramref name="nextDue"/>,
    /// null when nothing is pending), but at most <paramref name="longest"/> (the safety poll: rows that a replica queued
    /// and stopped before sending are found by the others at the latter) and at least <paramref name="shortest"/> (a row
    /// the pass left due, because its trust failed or it fell due as the pass ended, is not spun on).
    /// </summary>
    public static TimeSpan Until(DateTimeOffset? nextDue, DateTimeOffset now, TimeSpan shortest, TimeSpan longest) =>
        nextDue is not { } due ? longest : TimeSpan.FromTicks(Math.Clamp((due - now).Ticks, shortest.Ticks, Math.Max(shortest.Ticks, longest.Ticks)));
}
