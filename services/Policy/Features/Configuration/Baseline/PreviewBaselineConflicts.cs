using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Hosting.Http;
using Trust.Platform.Policy.Configuration;
using Trust.Platform.Policy.Infrastructure;

namespace Trust.Platform.Policy.Features.Configuration.Baseline;

/// <summary>For a proposed baseline change, the schools whose overrides it would invalidate. Nothing is saved.</summary>
public static class PreviewBaselineConflicts
{
    public sealed record Change(string Key, JsonElement? Value = null, OverrideRule? Rule = null);

    public sealed record Request(IReadOnlyList<Change> Changes);

    public sealed record Response(IReadOnlyList<Conflict> Conflicts);

    public static void Map(IEndpointRouteBuilder app) =>
        app.MapPost("/v1/policy/baseline/conflict-preview", Handle)
            .RequireTrustWideAccess([Roles.TrustAdmin])
            .WithTags("Policy configuration")
            .WithName("PreviewBaselineConflicts");

    public static async Task<Results<Ok<Response>, ValidationProblem>> Handle(Request request, PolicyDbContext db, CancellationToken cancellationToken)
    {
        var baseline = await PolicyState.BaselineAsync(db, cancellationToken);
        var errors = new FieldErrors();
        for (var i = 0; i < request.Changes.Count; i++)
        {
            var change = request.Changes[i];
            if (!SettingCatalogue.ByKey.TryGetValue(change.Key, out var definition))
            {
                errors.Add($"changes[{i}].key", "Not a setting of the catalogue.");
                continue;
            }

            var current = baseline[change.Key];
            var value = current.Value;
            if (change.Value is { } raw)
            {
                var (normalised, error) = SettingValues.Normalise(definition, ConfigurationAccess.ToNode(raw));
                if (error is not null)
                {
                    errors.Add($"changes[{i}].value", error);
                    continue;
                }

                value = normalised;
            }

            if (change.Rule is { } rule && !definition.AllowedRules.Contains(rule))
            {
                errors.Add($"changes[{i}].rule", $"{change.Key} allows: {string.Join(", ", definition.AllowedRules.Select(PolicyState.RuleName))}.");
                continue;
            }

            baseline[change.Key] = new TrustValue(value, change.Rule ?? current.Rule, null);
        }

        if (errors.Any)
        {
            return errors.ToProblem();
        }

        return TypedResults.Ok(new Response(await PolicyState.ConflictsAsync(db, baseline, cancellationToken)));
    }
}
