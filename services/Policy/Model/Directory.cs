using Trust.Platform.Data;
using Trust.Platform.Data.Tenancy;

namespace Trust.Platform.Policy.Model;

/// <summary>A multi-academy trust: the tenant. Its key is its own trust id.</summary>
public sealed class TrustOrganisation : ITenantEntity
{
    public Guid TrustId { get; set; }

    public string Name { get; set; } = "";

    public DateTimeOffset CreatedAt { get; set; }

    public int Version { get; set; } = 1;
}

/// <summary>A person the trust has registered with a platform role (the first trust admin at least).</summary>
public sealed class TrustMember : ITenantEntity
{
    public Guid TrustId { get; set; }

    public Guid Id { get; set; }

    public string DisplayName { get; set; } = "";

    public string Email { get; set; } = "";

    public string[] Roles { get; set; } = [];

    public DateTimeOffset CreatedAt { get; set; }
}

public enum SchoolPhase
{
    Nursery,
    Primary,
    Middle,
    Secondary,
    AllThrough,
    Special,
    AlternativeProvision,
    SixteenPlus,
}

public sealed class School : ITenantEntity, IHasTimeOrderedId
{
    public Guid TrustId { get; set; }

    public Guid Id { get; set; }

    public string Name { get; set; } = "";

    /// <summary>The DfE Unique Reference Number: six digits.</summary>
    public string Urn { get; set; } = "";

    public SchoolPhase Phase { get; set; }

    public string? LocalAuthority { get; set; }

    /// <summary>IANA time zone; SLA clocks and reminders run in it.</summary>
    public string TimeZone { get; set; } = "Europe/London";

    public int Version { get; set; } = 1;

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>An integration API key. Only its SHA-256 hash is stored.</summary>
public sealed class ApiKey : ITenantEntity, IHasTimeOrderedId
{
    public Guid TrustId { get; set; }

    public Guid Id { get; set; }

    public string Name { get; set; } = "";

    public string Prefix { get; set; } = "";

    public byte[] Hash { get; set; } = [];

    public string[] Scopes { get; set; } = [];

    public Guid[] SchoolIds { get; set; } = [];

    public int RateLimitPerMinute { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public string? CreatedBy { get; set; }

    public DateTimeOffset? RevokedAt { get; set; }

    /// <summary>When the key stops working by itself; null for a key that works until it is revoked.</summary>
    public DateTimeOffset? ExpiresAt { get; set; }

    public DateTimeOffset? LastUsedAt { get; set; }
}
