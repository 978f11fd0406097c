using Trust.Platform.Hosting.Caching;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Hosting.Http;
using Trust.Platform.Policy.Configuration;
using Trust.Platform.Policy.Infrastructure;
using Trust.Platform.Policy.Model;

namespace Trust.Platform.Policy.Features.Configuration.Overrides;

/// <summary>
/// A headteacher tailors a setting for their school within the trust's rule: a locked setting, a looser
/// value of a tighten-only one (72 h against the trust's 48 h) or a list missing a trust item is a 422
/// naming the setting, the rule and the trust value.
/// </summary>
public static class SetOverride
{
    public sealed record Request(JsonElement Value);

    public static void Map(IEndpointRouteBuilder app) =>
        app.MapPut("/v1/schools/{schoolId:guid}/policy/overrides/{key}", Handle)
            .RequireAccess(ConfigurationAccess.SchoolEditors)
            .WithTags("Policy configuration")
            .WithName("SetOverride");

    public static async Task<IResult> Handle(
        Guid schoolId, string key, Request request, HttpContext http, PolicyDbContext db, TimeProvider time, CancellationToken cancellationToken)
    {
        if (!http.Principal().CanActForSchool(schoolId, ConfigurationAccess.SchoolEditors) ||
            !await db.Schools.AnyAsync(s => s.Id == schoolId, cancellationToken) ||
            !SettingCatalogue.ByKey.TryGetValue(key, out var definition))
        {
            return TypedResults.NotFound();
        }

        var now = time.GetUtcNow();
        var policy = await PolicyState.EnsureSchoolPolicyAsync(db, schoolId, now, cancellationToken);
        if (ETags.CheckIfMatch(http.Request, db.Entry(policy).State == EntityState.Added ? 0 : policy.Version) is { } precondition)
        {
            return precondition;
        }

        var (value, error) = SettingValues.Normalise(definition, ConfigurationAccess.ToNode(request.Value));
        if (error is not null)
        {
            return new FieldErrors().Add("value", error).ToProblem();
        }

        var trust = (await PolicyState.BaselineAsync(db, cancellationToken))[key];
        if (PolicyMerge.Check(definition, trust, value) is { } reason)
        {
            return ConfigurationAccess.RuleViolation(key, PolicyState.RuleName(trust.Rule), trust.Value, reason);
        }

        var row = await db.SchoolOverrides.SingleOrDefaultAsync(o => o.SchoolId == schoolId && o.Key == key, cancellationToken);
        if (row is null)
        {
            row = new SchoolOverride { TrustId = policy.TrustId, SchoolId = schoolId, Key = key };
            db.SchoolOverrides.Add(row);
        }

        row.ValueJson = value?.ToJsonString();
        row.UpdatedAt = now;
        row.UpdatedBy = http.Principal().Subject;
        row.Since = null;
        policy.Version++;
        policy.UpdatedAt = now;
        await db.SaveChangesAsync(cancellationToken);
        http.RequestServices.GetRequiredService<TenantReadCache<JsonBytesResult<Effective.EffectivePolicyResponse>>>().Invalidate(db.Tenant.TrustId!.Value);

        ETags.Set(http.Response, policy.Version);
        return TypedResults.Ok(EffectiveSettingResponse.From(PolicyMerge.Resolve(definition, trust, new SchoolValue(value))));
    }
}
