using Trust.Platform.Client.Policy.Models;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Hosting.Time;

namespace Trust.Platform.Console.Pages.ApiKeys;

/// <summary>How an API key reads on the console's pages.</summary>
public static class ApiKeyText
{
    /// <summary>
    /// The scopes a key may hold (the contract types them as strings; the platform's list is <see cref="Scopes.All"/>), with
    /// what each lets an integration do: the endpoints that accept it.
    /// </summary>
    public static IReadOnlyList<(string Scope, string Words)> KnownScopes { get; } =
    [
        (Scopes.DirectoryRead, "Read the trust and its schools"),
        (Scopes.DirectoryWrite, "Add and change schools"),
        (Scopes.PolicyRead, "Read the policy: settings, versions, documents and blocked sites"),
        (Scopes.RosterRead, "Read the staff roster"),
        (Scopes.RosterWrite, "Sync the staff roster (joiners and leavers)"),
        (Scopes.ComplianceRead, "Read training compliance and policy acknowledgements"),
        (Scopes.TrainingWrite, "Record training: completions, courses and sessions"),
        (Scopes.IncidentsRead, "Read incident figures (counts and response times, never a case)"),
        (Scopes.IncidentsWrite, "File incident reports"),
        (Scopes.AccountsRead, "Read the register of social media accounts"),
    ];

    /// <summary>Active, revoked, or expired by its own date (and since when); the tag's colour with it.</summary>
    public static (string Text, string Tag, DateTimeOffset? Since) Status(ApiKeyResponse key, DateTimeOffset now) => key switch
    {
        { RevokedAt: { } revoked } => ("Revoked", "govuk-tag--red", revoked),
        { ExpiresAt: { } expires } when expires <= now => ("Expired", "govuk-tag--grey", expires),
        _ => ("Active", "govuk-tag--green", null),
    };

    /// <summary>The status in words: "Revoked 4 December 2026 15:25".</summary>
    public static string StatusText(ApiKeyResponse key, DateTimeOffset now) =>
        Status(key, now) is var (text, _, since) && since is not null ? $"{text} {When(since)}" : Status(key, now).Text;

    public static bool IsActive(ApiKeyResponse key, DateTimeOffset now) => key.RevokedAt is null && (key.ExpiresAt is not { } expires || expires > now);

    /// <summary>An instant as the trust's clocks read it (a key is the trust's, not one school's): "4 December 2026 15:25".</summary>
    public static string When(DateTimeOffset? at) => at is { } t ? Written.DateAndTime(t, Written.TrustTimeZone) : "";

    /// <summary>A date in a table's narrow column: "4 Dec 2026 15:25".</summary>
    public static string Short(DateTimeOffset? at) => at is { } t ? Written.ShortDateAndTime(t, Written.TrustTimeZone) : "";

    /// <summary>An empty restriction is every school of the trust (the contract's <c>schoolIds</c>).</summary>
    public static string Schools(ApiKeyResponse key, IReadOnlyDictionary<Guid, string> names) =>
        key.SchoolIds is not { Count: > 0 } ids
            ? "Every school"
            : string.Join("; ", ids.OfType<Guid>().Select(id => names.TryGetValue(id, out var name) ? name : id.ToString()));
}
