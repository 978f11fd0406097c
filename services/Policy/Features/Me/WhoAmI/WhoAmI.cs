using Microsoft.AspNetCore.Http.HttpResults;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Hosting.Endpoints;

namespace Trust.Platform.Policy.Features.Me.WhoAmI;

public enum CallerKind
{
    Person,
    ApiKey,
}

/// <summary>A role the caller holds, and where.</summary>
/// <param name="WholeTrust">True when the role covers every school of the trust (a trust admin, the chair of trustees).</param>
/// <param name="SchoolIds">The schools the role covers when it does not cover the whole trust; empty otherwise.</param>
public sealed record CallerRole(string Role, bool WholeTrust, IReadOnlyList<Guid> SchoolIds);

/// <summary>The caller as the platform sees it. Every field is always present: empty lists and nulls where it does not apply.</summary>
/// <param name="Subject">The token's subject (apikey:{id} for a key): no name, email or other personal data.</param>
/// <param name="ApiKeyId">The key's id for an API key; null for a person.</param>
/// <param name="Roles">A person's roles with their schools; empty for an API key.</param>
/// <param name="Scopes">An API key's scopes; empty for a person.</param>
/// <param name="KeySchoolIds">The schools an API key is restricted to; empty for a key of the whole trust and for a person.</param>
public sealed record WhoAmIResponse(
    CallerKind Kind, Guid TrustId, string Subject, Guid? ApiKeyId, IReadOnlyList<CallerRole> Roles, IReadOnlyList<string> Scopes, IReadOnlyList<Guid> KeySchoolIds);

/// <summary>
/// The caller describing itself, from its token or key alone: the web console decides which screens to show from it. It reads
/// nothing from the database, which also makes it the platform's trivial authenticated baseline (tests/Trust.Platform.Benchmarks).
/// </summary>
public sealed class WhoAmI : PlatformEndpoint<Ok<WhoAmIResponse>>
{
    public override void Configure()
    {
        Get("/v1/me");
        Allow(RoleSets.AnyoneInSchool, [.. Scope.All]);
        Document("Me", "Describe the caller",
            "Any person of the trust (any role) or API key (any scope): whether it is a person or a key, its trust, a person's roles with the " +
            "schools each covers, a key's scopes and school restriction. Read from the credentials alone (nothing is looked up), so it reflects " +
            "the token as sent: a role granted since appears with the next token. Platform operators and services, who belong to no trust, are refused.");
        Summary(s => s.ResponseExamples[200] = new
        {
            kind = "person",
            trustId = "0193f1a0-0000-7000-8000-00000000ae70",
            subject = "demo-mellers-headteacher",
            apiKeyId = (Guid?)null,
            roles = new[] { new { role = "headteacher", wholeTrust = false, schoolIds = new[] { "0193f1a0-0000-7000-8000-000000000003" } } },
            scopes = Array.Empty<string>(),
            keySchoolIds = Array.Empty<Guid>(),
        });
    }

    public override Task<Ok<WhoAmIResponse>> ExecuteAsync(CancellationToken ct)
    {
        var caller = Caller;
        var roles = caller.IsApiKey
            ? []
            : caller.RoleNames.Order(StringComparer.Ordinal).Select(role => caller.SchoolsFor(role) is { } schools
                ? new CallerRole(role, false, [.. schools.Order()])
                : new CallerRole(role, true, [])).ToList();
        var response = new WhoAmIResponse(
            caller.IsApiKey ? CallerKind.ApiKey : CallerKind.Person,
            caller.TrustId!.Value,
            caller.Subject,
            caller.ApiKeyId,
            roles,
            [.. caller.Scopes.Order(StringComparer.Ordinal)],
            [.. caller.KeySchools.Order()]);
        return Task.FromResult(TypedResults.Ok(response));
    }
}
