using FastEndpoints;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Hosting.Caching;
using Trust.Platform.Hosting.Endpoints;
using Trust.Platform.Hosting.Http;
using Trust.Platform.Policy.Configuration;
using Trust.Platform.Policy.Infrastructure;

namespace Trust.Platform.Policy.Features.Configuration.Overrides.Clear;

public sealed class ClearOverrideCommand
{
    public Guid SchoolId { get; init; }

    public string Key { get; init; } = "";

    [FromHeader("If-Match", IsRequired = false)]
    public string? IfMatch { get; init; }
}

/// <summary>Clearing an override makes the school inherit the trust value again.</summary>
public sealed class ClearOverride(PolicyDbContext db, TimeProvider time, TenantReadCache<JsonBytesResult<Effective.EffectivePolicyResponse>> cache)
    : PlatformEndpoint<ClearOverrideCommand, Results<Ok<EffectiveSettingResponse>, NotFound, ProblemHttpResult>>
{
    public override void Configure()
    {
        Delete("/v1/schools/{schoolId:guid}/policy/overrides/{key}");
        Allow(RoleSets.SchoolLeaders);
        Document("Policy configuration", "Clear a school's own value of a setting",
            "The school inherits the trust's value again. A setting the school has not overridden is a 404. Send the school policy's ETag in If-Match " +
            "(428 without, 412 when old). Answers the school's effective value, now the trust's.");
        Problems(412, 428);
        Description(b => b.ClearDefaultAccepts());
    }

    public override async Task<Results<Ok<EffectiveSettingResponse>, NotFound, ProblemHttpResult>> ExecuteAsync(ClearOverrideCommand command, CancellationToken ct)
    {
        if (!Caller.CanActForSchool(command.SchoolId, [.. RoleSets.SchoolLeaders]) || !SettingCatalogue.ByKey.TryGetValue(command.Key, out var definition))
        {
            return TypedResults.NotFound();
        }

        var policy = await db.SchoolPolicies.SingleOrDefaultAsync(p => p.SchoolId == command.SchoolId, ct);
        var row = await db.SchoolOverrides.SingleOrDefaultAsync(o => o.SchoolId == command.SchoolId && o.Key == command.Key, ct);
        if (policy is null || row is null)
        {
            return TypedResults.NotFound();
        }

        if (ETags.Check(command.IfMatch, policy.Version) is { } precondition)
        {
            return precondition;
        }

        db.SchoolOverrides.Remove(row);
        policy.Version++;
        policy.UpdatedAt = time.GetUtcNow();
        await db.SaveChangesAsync(ct);
        cache.Invalidate(policy.TrustId);

        var trust = (await PolicyState.BaselineAsync(db, ct))[command.Key];
        ETags.Set(HttpContext.Response, policy.Version);
        return TypedResults.Ok(EffectiveSettingResponse.From(PolicyMerge.Resolve(definition, trust, null)));
    }
}

public sealed class ClearOverrideValidator : Validator<ClearOverrideCommand>
{
    public ClearOverrideValidator()
    {
        RuleFor(x => x.Key).NotEmpty().MaximumLength(100);
        RuleFor(x => x.IfMatch).MaximumLength(100);
    }
}
