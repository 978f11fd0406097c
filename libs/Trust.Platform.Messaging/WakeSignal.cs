namespace Trust.Platform.Messaging;

/// <summary>
/// Wakes a worker that sleeps between passes (the outbox dispatcher, Policy's mail sender and webhook deliverer) as soon as a
/// commit in this process gave it work. One permit: however many commits notify before the worker wakes, it wakes once,
/// and a notification while it is busy wakes its next sleep at once, so no commit is missed.
/// </summary>
public abstract class WakeSignal
{
    private readonly SemaphoreSlim _pulse = new(0, 1);

    public void Notify()
    {
        if (_pulse.CurrentCount == 0)
        {
            try
            {
                _pulse.Release();
            }
            catch (SemaphoreFullException)
            {
                // Another commit woke it first.
            }
        }
    }

    /// <summary>Sleeps for <paramref name="timeout"/> or until a commit wakes it; true when woken.</summary>
    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => _pulse.WaitAsync(timeout, cancellationToken);
}
