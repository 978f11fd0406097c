using System.Security.Claims;
using Microsoft.AspNetCore.Http;

namespace Trust.Platform.Hosting.Auth;

/// <summary>The roles of the design card. A role claim is either trust-wide (<c>trust_admin</c>) or for one school (<c>headteacher:{schoolId}</c>).</summary>
public static class Roles
{
    public const string PlatformOperator = "platform_operator";
    public const string TrustAdmin = "trust_admin";
    public const string Headteacher = "headteacher";
    public const string Dsl = "dsl";
    public const string MarketingOfficer = "marketing_officer";
    public const string IctTechnician = "ict_technician";
    public const string Staff = "staff";
    public const string Chair = "chair";

    public static readonly IReadOnlySet<string> All = new HashSet<string>(StringComparer.Ordinal)
    {
        PlatformOperator, TrustAdmin, Headteacher, Dsl, MarketingOfficer, IctTechnician, Staff, Chair,
    };
}

/// <summary>Scopes an integration API key can hold.</summary>
public static class Scopes
{
    public const string DirectoryRead = "directory:read";
    public const string DirectoryWrite = "directory:write";
    public const string PolicyRead = "policy:read";
    public const string RosterWrite = "roster:write";
    public const string RosterRead = "roster:read";
    public const string ComplianceRead = "compliance:read";
    public const string IncidentsWrite = "incidents:write";
    public const string IncidentsRead = "incidents:read";
    public const string TrainingWrite = "training:write";
    public const string AccountsRead = "accounts:read";

    public static readonly IReadOnlySet<string> All = new HashSet<string>(StringComparer.Ordinal)
    {
        DirectoryRead, DirectoryWrite, PolicyRead, RosterWrite, RosterRead, ComplianceRead, IncidentsWrite, IncidentsRead, TrainingWrite, AccountsRead,
    };
}

public static class PlatformClaims
{
    public const string Trust = "tp_trust";
    public const string Role = "tp_role";
    public const string Scope = "tp_scope";
    public const string KeySchool = "tp_key_school";
    public const string KeyId = "tp_key";
    public const string RateLimit = "tp_rate_limit";

    /// <summary>The caller's person id in the school roster (Training), when the identity provider knows it.</summary>
    public const string StaffId = "tp_staff";
    public const string Subject = "sub";
    public const string Name = "name";
}

/// <summary>
/// Who is calling, as the services need it: the trust (tenant), role grants with the schools each covers,
/// and, for an API key, its scopes and school restriction. Built only from the authenticated principal,
/// never from a client header.
/// </summary>
public sealed class PlatformPrincipal
{
    private readonly Dictionary<string, HashSet<Guid>?> _roles = new(StringComparer.Ordinal);

    public static readonly PlatformPrincipal Anonymous = new();

    private PlatformPrincipal()
    {
    }

    public bool IsAuthenticated { get; private init; }

    public Guid? TrustId { get; private init; }

    public string Subject { get; private init; } = "";

    public string? DisplayName { get; private init; }

    public Guid? ApiKeyId { get; private init; }

    /// <summary>The caller's roster id (Training's person id) when the token carries one; "own records" checks use it.</summary>
    public Guid? StaffId { get; private init; }

    public bool IsApiKey => ApiKeyId is not null;

    public IReadOnlySet<string> Scopes { get; private init; } = new HashSet<string>();

    /// <summary>An API key restricted to these schools; empty means every school of its trust.</summary>
    public IReadOnlySet<Guid> KeySchools { get; private init; } = new HashSet<Guid>();

    public int? RateLimitPerMinute { get; private init; }

    public IEnumerable<string> RoleNames => _roles.Keys;

    public static PlatformPrincipal From(ClaimsPrincipal user)
    {
        if (user.Identity?.IsAuthenticated != true)
        {
            return Anonymous;
        }

        var principal = new PlatformPrincipal
        {
            IsAuthenticated = true,
            TrustId = Guid.TryParse(user.FindFirst(PlatformClaims.Trust)?.Value, out var trust) ? trust : null,
            Subject = user.FindFirst(PlatformClaims.Subject)?.Value ?? "",
            DisplayName = user.FindFirst(PlatformClaims.Name)?.Value,
            ApiKeyId = Guid.TryParse(user.FindFirst(PlatformClaims.KeyId)?.Value, out var key) ? key : null,
            StaffId = Guid.TryParse(user.FindFirst(PlatformClaims.StaffId)?.Value, out var staff) ? staff : null,
            Scopes = user.FindAll(PlatformClaims.Scope).Select(c => c.Value).ToHashSet(StringComparer.Ordinal),
            KeySchools = user.FindAll(PlatformClaims.KeySchool).Select(c => Guid.TryParse(c.Value, out var s) ? s : Guid.Empty)
                .Where(s => s != Guid.Empty).ToHashSet(),
            RateLimitPerMinute = int.TryParse(user.FindFirst(PlatformClaims.RateLimit)?.Value, out var limit) ? limit : null,
        };

        foreach (var claim in user.FindAll(PlatformClaims.Role))
        {
            var (role, school) = ParseRole(claim.Value);
            if (role is null || !Roles.All.Contains(role))
            {
                continue; // Unknown roles grant nothing.
            }

            if (school is null)
            {
                principal._roles[role] = null;
            }
            else if (!principal._roles.TryGetValue(role, out var schools))
            {
                principal._roles[role] = [school.Value];
            }
            else
            {
                schools?.Add(school.Value);
            }
        }

        return principal;
    }

    private static (string? Role, Guid? School) ParseRole(string value)
    {
        var separator = value.IndexOf(':', StringComparison.Ordinal);
        if (separator < 0)
        {
            return (value, null);
        }

        return Guid.TryParse(value.AsSpan(separator + 1), out var school) ? (value[..separator], school) : (null, null);
    }

    public bool HasRole(string role) => _roles.ContainsKey(role);

    public bool HasAnyRole(IEnumerable<string> roles) => roles.Any(_roles.ContainsKey);

    public bool HasScope(string scope) => Scopes.Contains(scope);

    /// <summary>
    /// Whether the caller may act on <paramref name="schoolId"/> through one of <paramref name="roles"/>
    /// (a trust-wide grant of a role covers every school) or, for an API key, whether its school
    /// restriction allows it. Scopes are checked by the endpoint's access policy.
    /// </summary>
    public bool CanActForSchool(Guid schoolId, params string[] roles)
    {
        if (IsApiKey)
        {
            return KeySchools.Count == 0 || KeySchools.Contains(schoolId);
        }

        foreach (var role in roles)
        {
            if (_roles.TryGetValue(role, out var schools) && (schools is null || schools.Contains(schoolId)))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The schools the caller may act on through <paramref name="roles"/>; null means every school of the trust.</summary>
    public IReadOnlySet<Guid>? SchoolsFor(params string[] roles)
    {
        if (IsApiKey)
        {
            return KeySchools.Count == 0 ? null : KeySchools;
        }

        var result = new HashSet<Guid>();
        foreach (var role in roles)
        {
            if (_roles.TryGetValue(role, out var schools))
            {
                if (schools is null)
                {
                    return null;
                }

                result.UnionWith(schools);
            }
        }

        return result;
    }
}

public static class PrincipalHttpContextExtensions
{
    private static readonly object Key = new();

    public static PlatformPrincipal Principal(this HttpContext context)
    {
        if (context.Items.TryGetValue(Key, out var cached) && cached is PlatformPrincipal principal)
        {
            return principal;
        }

        principal = PlatformPrincipal.From(context.User);
        context.Items[Key] = principal;
        return principal;
    }
}
