using System.Security.Claims;
using Microsoft.AspNetCore.Http;

namespace Trust.Platform.Hosting.Auth;

/// <summary>
/// The roles of the design card. A role claim is either for one school (<c>headteacher:{schoolId}</c>) or,
/// for the roles in <see cref="TrustWide"/> only, for the whole trust (<c>trust_admin</c>).
/// </summary>
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

    /// <summary>A platform service (a replica reconciling API keys with Policy); never a person, never minted for one.</summary>
    public const string PlatformService = "platform_service";

    public static readonly IReadOnlySet<string> All = new HashSet<string>(StringComparer.Ordinal)
    {
        PlatformOperator, TrustAdmin, Headteacher, Dsl, MarketingOfficer, IctTechnician, Staff, Chair, PlatformService,
    };

    /// <summary>
    /// The only roles a claim may hold without a school. Every other role means something only at a school:
    /// a bare <c>dsl</c> would otherwise read as "DSL of every school".
    /// </summary>
    public static readonly IReadOnlySet<string> TrustWide = new HashSet<string>(StringComparer.Ordinal)
    {
        PlatformOperator, TrustAdmin, Chair, PlatformService,
    };

    /// <summary>Roles that act without a trust (across tenants); every other role needs the token's trust.</summary>
    public static readonly IReadOnlySet<string> TrustLess = new HashSet<string>(StringComparer.Ordinal) { PlatformOperator, PlatformService };

    /// <summary>The roles a person can act through at a school, the most specific first (what records name as the actor's role).</summary>
    public static readonly IReadOnlyList<string> BySpecificity = [Dsl, Chair, Headteacher, TrustAdmin, MarketingOfficer, IctTechnician, Staff];

    /// <summary>Why a role claim value cannot be honoured, or null when it can. Unknown role names are not an error: they grant nothing.</summary>
    public static string? ClaimProblem(string value)
    {
        var separator = value.IndexOf(':', StringComparison.Ordinal);
        var role = separator < 0 ? value : value[..separator];
        if (!All.Contains(role))
        {
            return null;
        }

        if (separator < 0)
        {
            return TrustWide.Contains(role) ? null : $"'{role}' is a school role: name the school as '{role}:{{schoolId}}'.";
        }

        return Guid.TryParse(value.AsSpan(separator + 1), out _) ? null : $"'{value}' does not name a school id after '{role}:'.";
    }
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

    /// <summary>
    /// Who acted, as records keep it (who recorded, who uploaded): <c>api-key:{id}</c>, <c>staff:{id}</c> or <c>user:{subject}</c>, the
    /// form Incidents' case history already writes.
    /// </summary>
    public string Actor => IsApiKey ? $"api-key:{ApiKeyId}" : StaffId is { } staff ? $"staff:{staff}" : $"user:{Subject}";

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

        // Key id, scopes, school restriction and rate limit are read only from the identity the API-key
        // scheme built from the key's row; the same claim names in a token (signed or not) mean nothing.
        var key = user.Identity.AuthenticationType == AuthSetup.ApiKeyScheme ? user : null;
        var principal = new PlatformPrincipal
        {
            IsAuthenticated = true,
            TrustId = Guid.TryParse(user.FindFirst(PlatformClaims.Trust)?.Value, out var trust) ? trust : null,
            Subject = user.FindFirst(PlatformClaims.Subject)?.Value ?? "",
            DisplayName = user.FindFirst(PlatformClaims.Name)?.Value,
            ApiKeyId = Guid.TryParse(key?.FindFirst(PlatformClaims.KeyId)?.Value, out var keyId) ? keyId : null,
            StaffId = Guid.TryParse(user.FindFirst(PlatformClaims.StaffId)?.Value, out var staff) ? staff : null,
            Scopes = (key?.FindAll(PlatformClaims.Scope) ?? []).Select(c => c.Value).ToHashSet(StringComparer.Ordinal),
            KeySchools = (key?.FindAll(PlatformClaims.KeySchool) ?? []).Select(c => Guid.TryParse(c.Value, out var s) ? s : Guid.Empty)
                .Where(s => s != Guid.Empty).ToHashSet(),
            RateLimitPerMinute = int.TryParse(key?.FindFirst(PlatformClaims.RateLimit)?.Value, out var limit) ? limit : null,
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
                if (!Roles.TrustWide.Contains(role))
                {
                    continue; // A school role that names no school grants nothing (JwtBearer refuses such a token before this).
                }

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

    /// <summary>An API key restricted to some schools of its trust.</summary>
    public bool IsRestrictedKey => IsApiKey && KeySchools.Count > 0;

    /// <summary>
    /// Whether the caller reaches every school of its trust: an API key without a school restriction, or a
    /// user holding one of <paramref name="roles"/> for the whole trust. Trust-wide writes (a new school,
    /// the baseline, a course of the catalogue) need this; trust-wide reads filter to <see cref="SchoolsFor"/> instead.
    /// </summary>
    public bool ReachesWholeTrust(params string[] roles) => IsApiKey ? KeySchools.Count == 0 : HasAnyRole(roles) && SchoolsFor(roles) is null;

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

    /// <summary>
    /// The role records name for what the caller did at <paramref name="schoolId"/>: <c>integration</c> for an API key, else the
    /// most specific of <paramref name="among"/> (default: every role a person acts through) they hold there; <c>none</c> when
    /// they hold none of them.
    /// </summary>
    public string RoleAt(Guid schoolId, IReadOnlyCollection<string>? among = null) =>
        IsApiKey ? "integration" : Roles.BySpecificity.FirstOrDefault(r => (among is null || among.Contains(r)) && CanActForSchool(schoolId, r)) ?? "none";

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
