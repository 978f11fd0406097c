using Trust.Platform.Policy.Model;

namespace Trust.Platform.Policy.Features.ApiKeys;

/// <summary>An API key as listed: never the key itself, only its public prefix.</summary>
/// <param name="SchoolIds">The schools the key is restricted to; empty means every school of the trust.</param>
public sealed record ApiKeyResponse(
    Guid Id, string Name, string Prefix, IReadOnlyList<string> Scopes, IReadOnlyList<Guid> SchoolIds, int RateLimitPerMinute,
    DateTimeOffset CreatedAt, string? CreatedBy, DateTimeOffset? RevokedAt, DateTimeOffset? LastUsedAt, DateTimeOffset? ExpiresAt)
{
    public static ApiKeyResponse From(ApiKey k) =>
        new(k.Id, k.Name, k.Prefix, k.Scopes, k.SchoolIds, k.RateLimitPerMinute, k.CreatedAt, k.CreatedBy, k.RevokedAt, k.LastUsedAt, k.ExpiresAt);
}
