using Microsoft.AspNetCore.Http.HttpResults;
using NJsonSchema.Annotations;
using NJsonSchema.Generation;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Hosting.Endpoints;
using Trust.Platform.Policy.Configuration;

namespace Trust.Platform.Policy.Features.Configuration.Catalogue;

/// <summary>A setting of the catalogue: what it means, its type and limits, its default, and the rules a trust may set on it.</summary>
/// <param name="Seeds">Where the setting comes from in the trust's and schools' policies (document and line).</param>
/// <param name="StricterIs">For a tighten-only number: whether lower or higher is stricter.</param>
/// <param name="Use">What in the platform acts on the value, or why it is guidance only.</param>
public sealed record CatalogueSettingResponse(
    string Key, string Type, object? Default, string Description, IReadOnlyList<string> Seeds, string Rule,
    string? StricterIs, IReadOnlyList<string>? Choices, int? Min, int? Max, IReadOnlyList<string> AllowedRules, SettingUseResponse Use);

/// <summary>What acts on a setting.</summary>
/// <param name="Kind"><c>endpoint</c> (a Policy endpoint reads it), <c>rule</c> (a request is refused or decided by it), <c>consumer</c>
/// (another service keeps it from PolicyPublished and acts on it) or <c>guidance_only</c> (nothing in software can: the policy states it for people).</param>
/// <param name="What">Where it acts ("Incidents: the response deadline of every account message case"), or for guidance only, why.</param>
public sealed record SettingUseResponse(string Kind, string What);

/// <summary>Every setting of the catalogue (a JSON array).</summary>
[JsonSchemaProcessor(typeof(CatalogueSize))]
public sealed class CatalogueSettings(IEnumerable<CatalogueSettingResponse> settings) : List<CatalogueSettingResponse>(settings)
{
    /// <summary>The contract states the array's size limit: an unbounded array is what the OWASP rules refuse.</summary>
    public sealed class CatalogueSize : ISchemaProcessor
    {
        public void Process(SchemaProcessorContext context) => context.Schema.MaxItems = SettingCatalogue.All.Count;
    }
}

/// <summary>The setting catalogue, so that clients can build forms from it.</summary>
public sealed class GetCatalogue : PlatformEndpoint<Ok<CatalogueSettings>>
{
    // The catalogue is code: built once, as every caller gets the same answer.
    private static readonly CatalogueSettings Settings = new(SettingCatalogue.All.Select(d => new CatalogueSettingResponse(
        d.Key, Data.Tenancy.TenantDbContext.SnakeCase(d.Type.ToString()), d.Default, d.Description, d.Seeds, PolicyState.RuleName(d.Rule),
        d.StricterIs?.ToString().ToLowerInvariant(), d.Choices, d.Min, d.Max, d.AllowedRules.Select(PolicyState.RuleName).ToList(),
        new SettingUseResponse(SettingUses.KindName(SettingUses.ByKey[d.Key].Kind), SettingUses.ByKey[d.Key].What))));

    public override void Configure()
    {
        Get("/v1/policy/catalogue");
        Allow(RoleSets.AnyoneInSchool, Scope.PolicyRead);
        Document("Policy configuration", "Read the setting catalogue",
            "Every setting the policy has (e.g. sla.response_hours: comments answered within this many hours, 48 by default, tighten-only, " +
            "1-168), with its type, limits, default, the seed lines it comes from and the rules a trust may set on it: what a client needs to " +
            "build the baseline and override forms, and `use`: what in the platform acts on the value (an endpoint, a rule that refuses a request, a " +
            "service that keeps it from PolicyPublished) or, for `guidance_only`, why nothing can. Anyone in a school of the trust and keys with policy:read.");
    }

    public override Task<Ok<CatalogueSettings>> ExecuteAsync(CancellationToken ct) => Task.FromResult(TypedResults.Ok(Settings));
}
