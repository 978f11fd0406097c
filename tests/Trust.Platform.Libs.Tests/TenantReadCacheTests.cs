using Microsoft.Extensions.Caching.Memory;
using Trust.Platform.Hosting.Caching;

namespace Trust.Platform.Libs.Tests;

/// <summary>The per-replica read cache: keyed by trust, evicted per trust, and never resurrecting a value read before an eviction.</summary>
[Trait("Category", "Unit")]
public sealed class TenantReadCacheTests : IDisposable
{
    private static readonly Guid TrustA = Guid.NewGuid();
    private static readonly Guid TrustB = Guid.NewGuid();
    private static readonly Guid School = Guid.NewGuid();

    private readonly MemoryCache _memory = new(new MemoryCacheOptions());

    public void Dispose() => _memory.Dispose();

    private TenantReadCache<string> Cache() => new(_memory, TimeSpan.FromMinutes(1));

    [Fact]
    public void A_value_is_served_only_to_the_trust_that_read_it()
    {
        var cache = Cache();
        cache.Set(TrustA, School, cache.Generation(TrustA), "trust A's policy");

        cache.TryGet(TrustA, School, out var mine).Should().BeTrue();
        mine.Should().Be("trust A's policy");
        cache.TryGet(TrustB, School, out _).Should().BeFalse("the same school id under another trust is another entry");
    }

    [Fact]
    public void Invalidating_a_trust_drops_its_entries_and_no_one_elses()
    {
        var cache = Cache();
        cache.Set(TrustA, School, cache.Generation(TrustA), "A");
        cache.Set(TrustB, School, cache.Generation(TrustB), "B");

        cache.Invalidate(TrustA);

        cache.TryGet(TrustA, School, out _).Should().BeFalse();
        cache.TryGet(TrustB, School, out var other).Should().BeTrue();
        other.Should().Be("B");
    }

    [Fact]
    public void A_read_that_started_before_an_invalidation_is_not_stored()
    {
        var cache = Cache();
        var generation = cache.Generation(TrustA);   // the read starts
        cache.Invalidate(TrustA);                    // a write commits and evicts meanwhile
        cache.Set(TrustA, School, generation, "old"); // the slow read finishes with what it saw

        cache.TryGet(TrustA, School, out _).Should().BeFalse("the old value must not come back for a whole lifetime");
        cache.Set(TrustA, School, cache.Generation(TrustA), "new");
        cache.TryGet(TrustA, School, out var fresh).Should().BeTrue();
        fresh.Should().Be("new");
    }

    [Fact]
    public void Two_caches_of_different_value_types_share_the_memory_cache_without_colliding()
    {
        var strings = Cache();
        var lists = new TenantReadCache<List<int>>(_memory, TimeSpan.FromMinutes(1));
        strings.Set(TrustA, School, 0, "text");
        lists.Set(TrustA, School, 0, [1, 2]);

        strings.TryGet(TrustA, School, out var text).Should().BeTrue();
        text.Should().Be("text");
        lists.TryGet(TrustA, School, out var numbers).Should().BeTrue();
        numbers.Should().Equal(1, 2);
    }
}
