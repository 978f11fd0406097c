namespace Trust.Platform.Policy.Features.Trusts;

public sealed record TrustMemberResponse(Guid Id, string DisplayName, string Email, IReadOnlyList<string> Roles);

public sealed record TrustResponse(Guid Id, string Name, DateTimeOffset CreatedAt);

public sealed record CreatedTrustResponse(Guid Id, string Name, DateTimeOffset CreatedAt, TrustMemberResponse FirstAdmin);
