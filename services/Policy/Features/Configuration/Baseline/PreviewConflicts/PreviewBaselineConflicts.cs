using System.Text.Json;
using FastEndpoints;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using NJsonSchema.Annotations;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Hosting.Endpoints;
using Trust.Platform.Policy.Configuration;
using Trust.Platform.Policy.Infrastructure;

namespace Trust.Platform.Policy.Features.Configuration.Baseline.PreviewConflicts;

/// <summary>One proposed change of the baseline: a new value and/or rule for a setting.</summary>
public sealed record BaselineChangeRequest(string Key, [property: JsonSchemaType(typeof(object)), NotNull] JsonElement? Value = null, [property: JsonSchemaType(typeof(OverrideRule)), NotNull] OverrideRule? Rule = null);

/// <summary>Proposed baseline changes to try against every school's overrides; nothing is saved.</summary>
public sealed record PreviewBaselineConflictsRequest(IReadOnlyList<BaselineChangeRequest> Changes);

/// <summary>The school overrides the proposed baseline would no longer allow.</summary>
public sealed record BaselineConflictsPreview(IReadOnlyList<Conflict> Conflicts);

/// <summary>For a proposed baseline change, the schools whose overrides it would invalidate. Nothing is saved.</summary>
public sealed class PreviewBaselineConflicts(PolicyDbContext db) : PlatformEndpoint<PreviewBaselineConflictsRequest, Ok<BaselineConflictsPreview>>
{
    public override void Configure()
    {
        Post("/v1/policy/baseline/conflict-preview");
        AllowTrustWide(RoleSets.TrustAdmins);
        Document("Policy configuration", "Preview the conflicts of a baseline change",
            "Trust admins for the whole trust only. Tries the proposed values and rules against every school's overrides and lists those that " +
            "would no longer be allowed (e.g. Mellers' 24-hour response time under a tighten-only 12), with the school, the rule and both values. " +
            "Nothing is saved. A key not in the catalogue, a value of the wrong type or a rule the setting does not allow is refused by field.");
        Summary(s =>
        {
            s.ExampleRequest = new { changes = new[] { new { key = "sla.response_hours", value = 12 } } };
        });
    }

    public override async Task<Ok<BaselineConflictsPreview>> ExecuteAsync(PreviewBaselineConflictsRequest request, CancellationToken ct)
    {
        var baseline = await PolicyState.BaselineAsync(db, ct);
        foreach (var change in request.Changes)
        {
            var current = baseline[change.Key];
            var value = change.Value is { } raw
                ? SettingValues.Normalise(SettingCatalogue.ByKey[change.Key], ConfigurationAccess.ToNode(raw)).Value
                : current.Value;
            baseline[change.Key] = new TrustValue(value, change.Rule ?? current.Rule, null);
        }

        return TypedResults.Ok(new BaselineConflictsPreview(await PolicyState.ConflictsAsync(db, baseline, ct)));
    }
}

public sealed class PreviewBaselineConflictsValidator : Validator<PreviewBaselineConflictsRequest>
{
    public const int MaxChanges = 200;

    public PreviewBaselineConflictsValidator()
    {
        RuleFor(x => x.Changes).NotNull().WithMessage("Required.")
            .Must(c => c.Count <= MaxChanges).WithMessage($"At most {MaxChanges} changes.");
        RuleForEach(x => x.Changes).SetValidator(new BaselineChangeRules());
    }
}

public sealed class BaselineChangeRules : AbstractValidator<BaselineChangeRequest>
{
    public BaselineChangeRules()
    {
        RuleFor(x => x.Key).Cascade(CascadeMode.Stop).NotEmpty().WithMessage("Required.").MaximumLength(BaselineRules.MaxKeyLength)
            .Must(SettingCatalogue.ByKey.ContainsKey).WithMessage("Not a setting of the catalogue.");
        RuleFor(x => x.Value).ValueOf(x => x.Key);
        RuleFor(x => x.Rule).Must((x, rule) => BaselineRules.RuleAllowed(x.Key, rule)).WithMessage(x => BaselineRules.AllowedRules(x.Key));
    }
}
