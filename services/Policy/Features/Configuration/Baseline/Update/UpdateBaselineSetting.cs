using System.Text.Json;
using FastEndpoints;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using NJsonSchema.Annotations;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Hosting.Caching;
using Trust.Platform.Hosting.Endpoints;
using Trust.Platform.Hosting.Http;
using Trust.Platform.Policy.Configuration;
using Trust.Platform.Policy.Features.Configuration.Effective;
using Trust.Platform.Policy.Infrastructure;
using Trust.Platform.Policy.Model;

namespace Trust.Platform.Policy.Features.Configuration.Baseline.Update;

/// <summary>A new trust value and/or rule for one setting; at least one of them.</summary>
/// <param name="Value">The trust's value, in the setting's type (see the catalogue); omitted to change only the rule.</param>
/// <param name="Rule">How schools may override it; omitted to keep the current rule.</param>
public sealed record UpdateBaselineSettingRequest([property: JsonSchemaType(typeof(object)), NotNull] JsonElement? Value = null, [property: JsonSchemaType(typeof(OverrideRule)), NotNull] OverrideRule? Rule = null);

/// <summary>The setting as saved, and the school overrides it now conflicts with (they block publishing until resolved).</summary>
public sealed record UpdatedBaselineSettingResponse(BaselineSettingResponse Setting, IReadOnlyList<Conflict> Conflicts);

public sealed class UpdateBaselineSettingCommand
{
    /// <summary>The setting's key in the catalogue, e.g. sla.response_hours.</summary>
    public string Key { get; init; } = "";

    [FromHeader("If-Match", IsRequired = false)]
    public string? IfMatch { get; init; }

    [FromBody]
    public UpdateBaselineSettingRequest Body { get; init; } = null!;
}

/// <summary>
/// The trust sets a baseline value and/or the rule schools follow. Overrides this makes invalid are
/// returned as conflicts (and block publishing until resolved): the trust sees them before it publishes.
/// </summary>
public sealed class UpdateBaselineSetting(PolicyDbContext db, TimeProvider time, TenantReadCache<JsonBytesResult<EffectivePolicyResponse>> effective)
    : PlatformEndpoint<UpdateBaselineSettingCommand, Results<Ok<UpdatedBaselineSettingResponse>, NotFound, ProblemHttpResult>>
{
    public override void Configure()
    {
        Put("/v1/policy/baseline/{key}");
        AllowTrustWide(RoleSets.TrustAdmins);
        Document("Policy configuration", "Set a baseline value or rule",
            "Trust admins for the whole trust only. Sets the trust's value of one setting and/or the rule schools follow (the rules a setting " +
            "allows are in the catalogue). Send the baseline's ETag in If-Match: without it 428, with an old one 412. The answer lists the school " +
            "overrides the change now conflicts with; they keep the trust value and block publishing until resolved. A key not in the catalogue is a 404.");
        Problems(412, 428);
        Summary(s =>
        {
            s.ExampleRequest = new { value = 48, rule = "tighten_only" };
            s.ResponseExamples[200] = new
            {
                setting = new { key = "sla.response_hours", value = 48, rule = "tighten_only", since = (string?)null, isDefault = false },
                conflicts = Array.Empty<object>(),
            };
        });
    }

    public override async Task<Results<Ok<UpdatedBaselineSettingResponse>, NotFound, ProblemHttpResult>> ExecuteAsync(UpdateBaselineSettingCommand command, CancellationToken ct)
    {
        if (!SettingCatalogue.ByKey.TryGetValue(command.Key, out var definition))
        {
            return TypedResults.NotFound();
        }

        var now = time.GetUtcNow();
        var policy = await PolicyState.EnsureTrustPolicyAsync(db, now, ct);
        if (ETags.Check(command.IfMatch, db.Entry(policy).State == EntityState.Added ? 0 : policy.Version) is { } precondition)
        {
            return precondition;
        }

        var request = command.Body;
        var current = PolicyState.Baseline(await db.BaselineSettings.AsNoTracking().ToListAsync(ct))[command.Key];
        var value = request.Value is { } raw ? SettingValues.Normalise(definition, ConfigurationAccess.ToNode(raw)).Value : current.Value;
        var (named, notNamed) = await NamedMembers.ResolveAsync(db, definition, value, schoolId: null, time, ct);
        if (notNamed is not null)
        {
            return notNamed;
        }

        value = named;
        var row = await db.BaselineSettings.SingleOrDefaultAsync(b => b.Key == command.Key, ct);
        if (row is null)
        {
            row = new BaselineSetting { TrustId = policy.TrustId, Key = command.Key };
            db.BaselineSettings.Add(row);
        }

        row.ValueJson = value?.ToJsonString();
        row.Rule = PolicyState.RuleName(request.Rule ?? current.Rule);
        row.UpdatedAt = now;
        row.UpdatedBy = Caller.Subject;
        row.Since = null;
        policy.Version++;
        policy.UpdatedAt = now;
        await db.SaveChangesAsync(ct);
        effective.Invalidate(db.Tenant.TrustId!.Value);

        var conflicts = await PolicyState.ConflictsAsync(db, await PolicyState.BaselineAsync(db, ct), ct);
        ETags.Set(HttpContext.Response, policy.Version);
        return TypedResults.Ok(new UpdatedBaselineSettingResponse(
            new BaselineSettingResponse(command.Key, value, row.Rule, null, false),
            conflicts.Where(c => c.Key == command.Key).ToList()));
    }
}

public sealed class UpdateBaselineSettingValidator : Validator<UpdateBaselineSettingCommand>
{
    public UpdateBaselineSettingValidator()
    {
        RuleFor(x => x.Key).NotEmpty().MaximumLength(BaselineRules.MaxKeyLength);
        RuleFor(x => x.IfMatch).MaximumLength(200);
        RuleFor(x => x.Body).NotNull().WithMessage("Required.");
        When(x => x.Body is not null, () =>
        {
            RuleFor(x => x.Body.Value).Must((x, value) => value is not null || x.Body.Rule is not null).WithMessage("Send a value, a rule, or both.");
            RuleFor(x => x.Body.Value).ValueOf(x => x.Key);
            RuleFor(x => x.Body.Rule).Must((x, rule) => BaselineRules.RuleAllowed(x.Key, rule))
                .WithMessage(x => BaselineRules.AllowedRules(x.Key));
        });
    }
}
