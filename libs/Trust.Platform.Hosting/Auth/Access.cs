using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Trust.Platform.Hosting.Auth;

/// <summary>
/// What an endpoint allows: a user holding one of <see cref="Roles"/> (for any school; the handler then
/// checks the school), or an API key holding one of <see cref="Scopes"/>. Endpoints without an explicit
/// declaration are refused for everyone by the fallback policy (deny by default).
/// </summary>
/// <param name="WholeTrust">
/// The endpoint acts on the whole trust (creates a school, changes the baseline, adds a course): an API key
/// restricted to some schools, or a user holding the role for some schools only, is refused (403).
/// Trust-wide reads do not set this; they filter what they return to <see cref="PlatformPrincipal.SchoolsFor"/>.
/// </param>
public sealed record AccessRequirement(IReadOnlyList<string> Roles, IReadOnlyList<string> Scopes, bool WholeTrust = false) : IAuthorizationRequirement
{
    public bool IsSatisfiedBy(PlatformPrincipal principal)
    {
        if (!principal.IsAuthenticated)
        {
            return false;
        }

        if (principal.IsApiKey)
        {
            return principal.TrustId is not null && Scopes.Any(principal.HasScope) && (!WholeTrust || principal.ReachesWholeTrust());
        }

        // Without a trust, only the trust-less roles (platform operator, platform service) count.
        var held = principal.TrustId is not null ? Roles : Roles.Where(Auth.Roles.TrustLess.Contains).ToList();
        return principal.HasAnyRole(held) && (!WholeTrust || principal.ReachesWholeTrust([.. held]));
    }
}

public sealed class AccessRequirementHandler : AuthorizationHandler<AccessRequirement>
{
    /// <summary>The route value that scopes an endpoint to one school.</summary>
    public const string SchoolRouteValue = "schoolId";

    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, AccessRequirement requirement)
    {
        var http = context.Resource as HttpContext;
        var principal = http?.Principal() ?? PlatformPrincipal.From(context.User);
        if (!requirement.IsSatisfiedBy(principal))
        {
            return Task.CompletedTask;
        }

        // DESIGN: school scope is enforced by authorisation. A route naming a school the caller's roles (or key) do not
        // cover is refused before the request is read, as not found: the same answer whether or not that school exists.
        if (http?.GetRouteValue(SchoolRouteValue) is string value && Guid.TryParse(value, out var schoolId) &&
            !principal.CanActForSchool(schoolId, [.. requirement.Roles]))
        {
            context.Fail(new AuthorizationFailureReason(this, OtherSchool));
            return Task.CompletedTask;
        }

        context.Succeed(requirement);
        return Task.CompletedTask;
    }

    public const string OtherSchool = "The route names a school the caller does not act for.";
}

/// <summary>Answers an authorisation refused for another school's route as 404 (never 403: existence is not revealed).</summary>
public sealed class NotFoundForOtherSchools : IAuthorizationMiddlewareResultHandler
{
    private readonly Microsoft.AspNetCore.Authorization.Policy.AuthorizationMiddlewareResultHandler _default = new();

    public Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, Microsoft.AspNetCore.Authorization.Policy.PolicyAuthorizationResult authorizeResult)
    {
        if (authorizeResult.Forbidden &&
            authorizeResult.AuthorizationFailure?.FailureReasons.Any(r => r.Message == AccessRequirementHandler.OtherSchool) == true)
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return Task.CompletedTask;
        }

        return _default.HandleAsync(next, context, policy, authorizeResult);
    }
}

public static class AccessEndpointExtensions
{
    /// <summary>Declares who may call the endpoint: users with any of <paramref name="roles"/>, API keys with any of <paramref name="scopes"/>.</summary>
    public static TBuilder RequireAccess<TBuilder>(this TBuilder builder, string[] roles, params string[] scopes)
        where TBuilder : IEndpointConventionBuilder =>
        builder.Require(new AccessRequirement(roles, scopes));

    /// <summary>
    /// As <see cref="RequireAccess{TBuilder}"/>, for an endpoint that acts on the whole trust: only callers that
    /// reach every school of it (see <see cref="AccessRequirement.WholeTrust"/>).
    /// </summary>
    public static TBuilder RequireTrustWideAccess<TBuilder>(this TBuilder builder, string[] roles, params string[] scopes)
        where TBuilder : IEndpointConventionBuilder =>
        builder.Require(new AccessRequirement(roles, scopes, WholeTrust: true));

    private static TBuilder Require<TBuilder>(this TBuilder builder, AccessRequirement requirement)
        where TBuilder : IEndpointConventionBuilder
    {
        var policy = new AuthorizationPolicyBuilder(AuthSetup.PlatformScheme)
            .RequireAuthenticatedUser()
            .AddRequirements(requirement)
            .Build();
        builder.RequireAuthorization(policy);
        builder.WithMetadata(requirement);
        return builder;
    }
}
