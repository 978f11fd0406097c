using System.Text.Json;
using FastEndpoints;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Hosting.Caching;
using Trust.Platform.Hosting.Endpoints;
using Trust.Platform.Hosting.Http;
using Trust.Platform.Policy.Configuration;
using Trust.Platform.Policy.Domain.SchoolPolicies;
using Trust.Platform.Policy.Infrastructure;
using Trust.Platform.Policy.Model;

namespace Trust.Platform.Policy.Features.Configuration.Overrides.Set;

/// <param name="Value">The school's value, of the setting's type in the catalogue (GET /v1/policy/catalogue); null for "not set" where the rule allows it.</param>
public sealed record SetOverrideRequest(JsonElement Value);

public sealed class SetOverrideCommand
{
    public Guid SchoolId { get; init; }

    /// <summary>The setting's key in the catalogue, e.g. <c>sla.response_hours</c>.</summary>
    public string Key { get; init; } = "";

    [FromHeader("If-Match", IsRequired = false)]
    public string? IfMatch { get; init; }

    [FromBody]
    public SetOverrideRequest Body { get; init; } = null!;
}

/// <summary>
/// A headteacher tailors a setting for their school within the trust's rule: a locked setting, a looser value of a
/// tighten-only one (72 h against the trust's 48 h) or a list missing a trust item is a 422 naming the setting, the rule
/// and the trust value.
/// </summary>
public sealed class SetOverride(PolicyDbContext db, TimeProvider time, TenantReadCache<JsonBytesResult<Effective.EffectivePolicyResponse>> cache)
    : PlatformEndpoint<SetOverrideCommand, Results<Ok<EffectiveSettingResponse>, NotFound, ProblemHttpResult>>
{
    public override void Configure()
    {
        Put("/v1/schools/{schoolId:guid}/policy/overrides/{key}");
        Allow(RoleSets.SchoolLeaders);
        Document("Policy configuration", "Set a school's own value of a setting",
            "Within the trust's rule for the setting (002): a locked one is the trust's; a tighten-only one may only be stricter (Mellers Primary School, 003, " +
            "answers within 24 hours against the trust's 48; 72 is refused); a union-only list may add items but keep the trust's; a free one is the school's. " +
            "A refused value is a 422 naming the `rule`, the `setting` and the `trustValue`. Send the school policy's ETag in If-Match (428 without, 412 when old). " +
            "Answers the school's effective value with its provenance.");
        Problems(412, 422, 428);
        Summary(s =>
        {
            s.ExampleRequest = OverrideExamples.Set24Hours;
            s.ResponseExamples[200] = OverrideExamples.Sla24Hours;
        });
    }

    public override async Task<Results<Ok<EffectiveSettingResponse>, NotFound, ProblemHttpResult>> ExecuteAsync(SetOverrideCommand command, CancellationToken ct)
    {
        if (!Caller.CanActForSchool(command.SchoolId, [.. RoleSets.SchoolLeaders]) ||
            !SettingCatalogue.ByKey.TryGetValue(command.Key, out var definition) ||
            !await db.Schools.AnyAsync(s => s.Id == command.SchoolId, ct))
        {
            return TypedResults.NotFound();
        }

        var now = time.GetUtcNow();
        var policy = await PolicyState.EnsureSchoolPolicyAsync(db, command.SchoolId, now, ct);
        if (ETags.Check(command.IfMatch, db.Entry(policy).State == EntityState.Added ? 0 : policy.Version) is { } precondition)
        {
            return precondition;
        }

        var trust = (await PolicyState.BaselineAsync(db, ct))[command.Key];
        var requested = SettingValues.Normalise(definition, OverrideValue.From(command.Body.Value)).Value;
        var (named, notNamed) = await NamedMembers.ResolveAsync(db, definition, requested, command.SchoolId, time, ct);
        if (notNamed is not null)
        {
            return notNamed;
        }

        switch (OverrideRules.Decide(definition, trust, named))
        {
            case OverrideDecision.NotAValue notAValue:
                return ApiProblem.Invalid("value", notAValue.Reason);
            case OverrideDecision.Refused refused:
                return OverrideValue.Refusal(command.Key, refused);
            case OverrideDecision.Allowed allowed:
                await StoreAsync(command, policy, allowed, now, ct);
                cache.Invalidate(policy.TrustId);
                ETags.Set(HttpContext.Response, policy.Version);
                return TypedResults.Ok(EffectiveSettingResponse.From(PolicyMerge.Resolve(definition, trust, new SchoolValue(allowed.Value))));
            default:
                throw new InvalidOperationException("Unknown override decision.");
        }
    }

    private async Task StoreAsync(SetOverrideCommand command, SchoolPolicy policy, OverrideDecision.Allowed allowed, DateTimeOffset now, CancellationToken ct)
    {
        var row = await db.SchoolOverrides.SingleOrDefaultAsync(o => o.SchoolId == command.SchoolId && o.Key == command.Key, ct);
        if (row is null)
        {
            row = new SchoolOverride { TrustId = policy.TrustId, SchoolId = command.SchoolId, Key = command.Key };
            db.SchoolOverrides.Add(row);
        }

        row.ValueJson = allowed.Value?.ToJsonString();
        row.UpdatedAt = now;
        row.UpdatedBy = Caller.Subject;
        row.Since = null;
        policy.Version++;
        policy.UpdatedAt = now;
        await db.SaveChangesAsync(ct);
    }
}

public sealed class SetOverrideValidator : Validator<SetOverrideCommand>
{
    public SetOverrideValidator()
    {
        RuleFor(x => x.Key).NotEmpty().MaximumLength(100);
        RuleFor(x => x.IfMatch).MaximumLength(100);
        // The value's type comes from the catalogue, which needs no database: a wrong type is refused here. An unknown key is the handler's 404.
        RuleFor(x => x).Custom((command, context) =>
        {
            if (SettingCatalogue.ByKey.TryGetValue(command.Key, out var definition) &&
                SettingValues.Normalise(definition, OverrideValue.From(command.Body.Value)).Error is { } error)
            {
                context.AddFailure("value", error);
            }
        });
    }
}

/// <summary>The request's value as the rules read it, and the 422 a refused one gets.</summary>
internal static class OverrideValue
{
    /// <summary>An omitted value and an explicit JSON null are both "not set".</summary>
    public static System.Text.Json.Nodes.JsonNode? From(JsonElement element) =>
        element.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined ? null : System.Text.Json.Nodes.JsonNode.Parse(element.GetRawText());

    /// <summary>Names the setting, the rule and the trust value, as integrators and headteachers need to correct it.</summary>
    public static ProblemHttpResult Refusal(string key, OverrideDecision.Refused refused) =>
        ApiProblem.RuleRefused(refused.Rule, "The trust's rule does not allow this value",
            new FieldErrors().Add("value", $"{refused.Reason}; the trust value is {refused.TrustValue?.ToJsonString() ?? "not set"}."),
            new Dictionary<string, object?> { ["setting"] = key, ["trustValue"] = refused.TrustValue?.DeepClone() });
}
