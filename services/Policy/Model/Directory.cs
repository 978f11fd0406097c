using System.Linq.Expressions;
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
public sealed class TrustMember : ITenantEntity, IHasTimeOrderedId
{
    public Guid TrustId { get; set; }

    public Guid Id { get; set; }

    public string DisplayName { get; set; } = "";

    public string Email { get; set; } = "";

    /// <summary>The platform roles the trust registered the person with at onboarding; their appointments are what grants roles.</summary>
    public string[] Roles { get; set; } = [];

    /// <summary>The OIDC subject (<c>sub</c>) the member signs in with; null until the trust links their sign-in.</summary>
    public string? Subject { get; set; }

    /// <summary>The OIDC issuer of <see cref="Subject"/>; null when any issuer the platform trusts may vouch for it.</summary>
    public string? Issuer { get; set; }

    /// <summary>The member's person id in the school roster (Training), when they are on a school's staff.</summary>
    public Guid? StaffId { get; set; }

    public int Version { get; set; } = 1;

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>How the member hears of things: <c>immediate</c> (each notice) or <c>daily_digest</c>; safeguarding notices always at once.</summary>
    public string Notifications { get; set; } = global::Trust.Platform.Policy.Notifications.Delivery.Immediate;

    /// <summary>The subject of the leader who invited the member.</summary>
    public string? InvitedBy { get; set; }
}

/// <summary>A post a member holds at a school (or, for the trust admin, across the trust) from one day to another.</summary>
public sealed class Appointment : ITenantEntity, IHasTimeOrderedId
{
    public Guid TrustId { get; set; }

    public Guid Id { get; set; }

    public Guid MemberId { get; set; }

    /// <summary>Null for a post held across the trust.</summary>
    public Guid? SchoolId { get; set; }

    public string Role { get; set; } = "";

    public string? JobTitle { get; set; }

    public DateOnly StartsOn { get; set; }

    /// <summary>The last day of the post (inclusive); null while open-ended.</summary>
    public DateOnly? EndsOn { get; set; }

    /// <summary>When a leader ended it, or the person left the roster; never cleared.</summary>
    public DateTimeOffset? EndedAt { get; set; }

    public string? EndReason { get; set; }

    public int Version { get; set; } = 1;

    public DateTimeOffset CreatedAt { get; set; }

    public string? CreatedBy { get; set; }
}

public static class Appointments
{
    /// <summary>The posts held on <paramref name="day"/> (the school's day): started, not ended early, not past their end date.</summary>
    public static Expression<Func<Appointment, bool>> HeldOn(DateOnly day) =>
        a => a.EndedAt == null && a.StartsOn <= day && (a.EndsOn == null || a.EndsOn >= day);
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
