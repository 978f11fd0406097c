namespace Trust.Platform.Policy.Features.Trusts;

/// <summary>A person the trust registered with platform roles (the first trust admin at least).</summary>
public sealed record TrustMemberResponse(Guid Id, string DisplayName, string Email, IReadOnlyList<string> Roles);

/// <summary>A trust (the tenant) as its directory entry.</summary>
public sealed record TrustResponse(Guid Id, string Name, DateTimeOffset CreatedAt);

/// <summary>A trust just onboarded, with the first trust admin it was created with.</summary>
public sealed record CreatedTrustResponse(Guid Id, string Name, DateTimeOffset CreatedAt, TrustMemberResponse FirstAdmin);
