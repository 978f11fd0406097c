using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Trust.Platform.Hosting.Auth;

/// <summary>
/// What an endpoint allows: a user holding one of <see cref="Roles"/> (for any school; the handler then
/// checks the school), or an API key holding one of <see cref="Scopes"/>. Endpoints without an explicit
/// declaration are refused for everyone by the fallback policy (deny by default).
/// </summary>
public sealed record AccessRequirement(IReadOnlyList<string> Roles, IReadOnlyList<string> Scopes) : IAuthorizationRequirement
{
    public bool IsSatisfiedBy(PlatformPrincipal principal)
    {
        if (!principal.IsAuthenticated)
        {
            return false;
        }

        if (principal.IsApiKey)
        {
            return principal.TrustId is not null && Scopes.Any(principal.HasScope);
        }

        // Every role but the platform operator's belongs to a trust.
        return principal.HasAnyRole(Roles) &&
               (principal.TrustId is not null || Roles.Contains(Auth.Roles.PlatformOperator));
    }
}

public sealed class AccessRequirementHandler : AuthorizationHandler<AccessRequirement>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, AccessRequirement requirement)
    {
        var principal = context.Resource is HttpContext http ? http.Principal() : PlatformPrincipal.From(context.User);
        if (requirement.IsSatisfiedBy(principal))
        {
            context.Succeed(requirement);
        }

        return Task.CompletedTask;
    }
}

public static class AccessEndpointExtensions
{
    /// <summary>Declares who may call the endpoint: users with any of <paramref name="roles"/>, API keys with any of <paramref name="scopes"/>.</summary>
    public static TBuilder RequireAccess<TBuilder>(this TBuilder builder, string[] roles, params string[] scopes)
        where TBuilder : IEndpointConventionBuilder
    {
        var requirement = new AccessRequirement(roles, scopes);
        var policy = new AuthorizationPolicyBuilder(AuthSetup.PlatformScheme)
            .RequireAuthenticatedUser()
            .AddRequirements(requirement)
            .Build();
        builder.RequireAuthorization(policy);
        builder.WithMetadata(requirement);
        return builder;
    }
}
