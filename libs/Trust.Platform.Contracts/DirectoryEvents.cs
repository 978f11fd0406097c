namespace Trust.Platform.Contracts;

/// <summary>A school joined a trust. Every service keeps a local school directory from these.</summary>
public sealed record SchoolAdded(
    Guid EventId,
    Guid TrustId,
    Guid SchoolId,
    DateTimeOffset OccurredAt,
    string Name,
    string Urn,
    string Phase,
    string? LocalAuthority,
    string TimeZone,
    int Version) : ISchoolEvent;

/// <summary>A school's directory entry changed; <see cref="Version"/> lets consumers ignore stale updates.</summary>
public sealed record SchoolUpdated(
    Guid EventId,
    Guid TrustId,
    Guid SchoolId,
    DateTimeOffset OccurredAt,
    string Name,
    string Urn,
    string Phase,
    string? LocalAuthority,
    string TimeZone,
    int Version) : ISchoolEvent;

/// <summary>
/// An integration API key was issued. Carries the SHA-256 hash of the key, never the key, so every
/// service can authenticate the key locally. <see cref="ExpiresAt"/> is null for a key that does not expire
/// (and in events written before keys could expire).
/// </summary>
public sealed record ApiKeyIssued(
    Guid EventId,
    Guid TrustId,
    DateTimeOffset OccurredAt,
    Guid KeyId,
    string Name,
    string Prefix,
    byte[] Hash,
    IReadOnlyList<string> Scopes,
    IReadOnlyList<Guid> SchoolIds,
    int RateLimitPerMinute,
    DateTimeOffset? ExpiresAt = null) : IIntegrationEvent;

/// <summary>
/// An API key was revoked: every service must refuse it from now on, even when this event reaches it before
/// the key's <see cref="ApiKeyIssued"/> (a replica keeps it as a tombstone).
/// </summary>
public sealed record ApiKeyRevoked(
    Guid EventId,
    Guid TrustId,
    DateTimeOffset OccurredAt,
    Guid KeyId,
    DateTimeOffset RevokedAt) : IIntegrationEvent;
