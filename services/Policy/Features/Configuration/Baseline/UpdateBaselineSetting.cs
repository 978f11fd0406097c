using Trust.Platform.Hosting.Caching;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Hosting.Http;
using Trust.Platform.Policy.Configuration;
using Trust.Platform.Policy.Infrastructure;
using Trust.Platform.Policy.Model;

namespace Trust.Platform.Policy.Features.Configuration.Baseline;

/// <summary>
/// The trust sets a baseline value and/or the rule schools follow. Overrides this makes invalid are
/// returned as conflicts (and block publishing until resolved): the trust sees them before it publishes.
/// </summary>
public static class UpdateBaselineSetting
{
    public sealed record Request(JsonElement? Value = null, OverrideRule? Rule = null);

    public sealed record Response(GetBaseline.BaselineSettingResponse Setting, IReadOnlyList<Conflict> Conflicts);

    public static void Map(IEndpointRouteBuilder app) =>
        app.MapPut("/v1/policy/baseline/{key}", Handle)
            .RequireTrustWideAccess([Roles.TrustAdmin])
            .WithTags("Policy configuration")
            .WithName("UpdateBaselineSetting");

    public static async Task<IResult> Handle(
        string key, Request request, HttpContext http, PolicyDbContext db, TimeProvider time, CancellationToken cancellationToken)
    {
        if (!SettingCatalogue.ByKey.TryGetValue(key, out var definition))
        {
            return TypedResults.NotFound();
        }

        var now = time.GetUtcNow();
        var policy = await PolicyState.EnsureTrustPolicyAsync(db, now, cancellationToken);
        if (ETags.CheckIfMatch(http.Request, db.Entry(policy).State == EntityState.Added ? 0 : policy.Version) is { } precondition)
        {
            return precondition;
        }

        var errors = new FieldErrors();
        if (request.Value is null && request.Rule is null)
        {
            errors.Add("value", "Send a value, a rule, or both.");
        }

        if (request.Rule is { } rule && !definition.AllowedRules.Contains(rule))
        {
            errors.Add("rule", $"{key} allows: {string.Join(", ", definition.AllowedRules.Select(PolicyState.RuleName))}.");
        }

        var current = PolicyState.Baseline(await db.BaselineSettings.AsNoTracking().ToListAsync(cancellationToken))[key];
        var value = current.Value;
        if (request.Value is { } raw)
        {
            var (normalised, error) = SettingValues.Normalise(definition, ConfigurationAccess.ToNode(raw));
            if (error is not null)
            {
                errors.Add("value", error);
            }

            value = normalised;
        }

        if (errors.Any)
        {
            return errors.ToProblem();
        }

        var row = await db.BaselineSettings.SingleOrDefaultAsync(b => b.Key == key, cancellationToken);
        if (row is null)
        {
            row = new BaselineSetting { TrustId = policy.TrustId, Key = key };
            db.BaselineSettings.Add(row);
        }

        row.ValueJson = value?.ToJsonString();
        row.Rule = PolicyState.RuleName(request.Rule ?? current.Rule);
        row.UpdatedAt = now;
        row.UpdatedBy = http.Principal().Subject;
        row.Since = null;
        policy.Version++;
        policy.UpdatedAt = now;
        await db.SaveChangesAsync(cancellationToken);
        http.RequestServices.GetRequiredService<TenantReadCache<JsonBytesResult<Effective.GetEffectivePolicy.Response>>>().Invalidate(db.Tenant.TrustId!.Value);

        var baseline = await PolicyState.BaselineAsync(db, cancellationToken);
        var conflicts = await PolicyState.ConflictsAsync(db, baseline, cancellationToken);
        ETags.Set(http.Response, policy.Version);
        return TypedResults.Ok(new Response(
            new GetBaseline.BaselineSettingResponse(key, value, row.Rule, null, false),
            conflicts.Where(c => c.Key == key).ToList()));
    }
}
