namespace Trust.Platform.Hosting.Caching;

/// <summary>
/// The rule for a cache that is filled by lookups outside any lock and emptied by events: a lookup takes
/// <see cref="Current"/> before it reads the database and stores through <see cref="StoreIfCurrent"/>; an event that
/// changed the data calls <see cref="Advance"/> after its commit. Storing and advancing exclude each other, so a lookup
/// that read before the change can neither store after it nor pass the check, let the change clear the cache, and then
/// store (which kept a just-issued API key refused for the whole "unknown" lifetime: CI, session 14). Only misses and
/// changes take the lock; hits never do. <see cref="TenantReadCache{TValue}"/> needs none of this: its generation is
/// part of the key, so a late store lands where nobody reads.
/// </summary>
public sealed class CacheGeneration
{
    private readonly Lock _gate = new();
    private long _value;

    public long Current => Interlocked.Read(ref _value);

    /// <summary>Runs <paramref name="store"/> unless the generation moved since <paramref name="seen"/>; true when it ran.</summary>
    public bool StoreIfCurrent(long seen, Action store)
    {
        lock (_gate)
        {
            if (_value != seen)
            {
                return false;
            }

            store();
            return true;
        }
    }

    /// <summary>Moves the generation on and runs <paramref name="forget"/> (removing what the change made stale), as one step.</summary>
    public void Advance(Action forget)
    {
        lock (_gate)
        {
            Interlocked.Increment(ref _value);
            forget();
        }
    }
}
