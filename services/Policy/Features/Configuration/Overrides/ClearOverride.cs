using Trust.Platform.Hosting.Caching;
using Microsoft.EntityFrameworkCore;
using Trust.Platform.Hosting.Http;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Policy.Configuration;
using Trust.Platform.Policy.Infrastructure;

namespace Trust.Platform.Policy.Features.Configuration.Overrides;

/// <summary>Clearing an override makes the school inherit the trust value again.</summary>
public static class ClearOverride
{
    public static void Map(IEndpointRouteBuilder app) =>
        app.MapDelete("/v1/schools/{schoolId:guid}/policy/overrides/{key}", Handle)
            .RequireAccess(ConfigurationAccess.SchoolEditors)
            .WithTags("Policy configuration")
            .WithName("ClearOverride");

    public static async Task<IResult> Handle(
        Guid schoolId, string key, HttpContext http, PolicyDbContext db, TimeProvider time, CancellationToken cancellationToken)
    {
        if (!http.Principal().CanActForSchool(schoolId, ConfigurationAccess.SchoolEditors) ||
            !SettingCatalogue.ByKey.TryGetValue(key, out var definition))
        {
            return TypedResults.NotFound();
        }

        var policy = await db.SchoolPolicies.SingleOrDefaultAsync(p => p.SchoolId == schoolId, cancellationToken);
        var row = await db.SchoolOverrides.SingleOrDefaultAsync(o => o.SchoolId == schoolId && o.Key == key, cancellationToken);
        if (policy is null || row is null)
        {
            return TypedResults.NotFound();
        }

        if (ETags.CheckIfMatch(http.Request, policy.Version) is { } precondition)
        {
            return precondition;
        }

        db.SchoolOverrides.Remove(row);
        policy.Version++;
        policy.UpdatedAt = time.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken);
        http.RequestServices.GetRequiredService<TenantReadCache<JsonBytesResult<Effective.EffectivePolicyResponse>>>().Invalidate(db.Tenant.TrustId!.Value);

        var trust = (await PolicyState.BaselineAsync(db, cancellationToken))[key];
        ETags.Set(http.Response, policy.Version);
        return TypedResults.Ok(EffectiveSettingResponse.From(PolicyMerge.Resolve(definition, trust, null)));
    }
}
