using System.Collections.Concurrent;
using Microsoft.Extensions.Caching.Memory;

namespace Trust.Platform.Policy.Features.Configuration.Effective;

/// <summary>
/// The effective policy is read far more often than it changes (every staff page, every integration
/// sync). This replica serves it from memory for at most <see cref="Lifetime"/>; any write to the
/// trust's configuration in this replica evicts the trust's entries at once (read-your-writes), and
/// another replica's write is seen within <see cref="Lifetime"/>. Entries are keyed by trust, so a cached
/// answer is only ever served to callers of the trust whose read put it there.
/// </summary>
public sealed class EffectivePolicyCache(IMemoryCache cache)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(2);

    private readonly ConcurrentDictionary<Guid, long> _generations = new();

    public bool TryGet(Guid trustId, Guid schoolId, out GetEffectivePolicy.Response? response) =>
        cache.TryGetValue(Key(trustId, schoolId), out response) && response is not null;

    public void Set(Guid trustId, Guid schoolId, GetEffectivePolicy.Response response) =>
        cache.Set(Key(trustId, schoolId), response, Lifetime);

    /// <summary>Called by every write of the baseline, an override or a publication.</summary>
    public void Invalidate(Guid trustId) => _generations.AddOrUpdate(trustId, 1, (_, generation) => generation + 1);

    private (Guid, Guid, long) Key(Guid trustId, Guid schoolId) => (trustId, schoolId, _generations.GetValueOrDefault(trustId));
}
