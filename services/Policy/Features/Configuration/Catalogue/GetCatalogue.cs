using Microsoft.AspNetCore.Http.HttpResults;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Policy.Configuration;

namespace Trust.Platform.Policy.Features.Configuration.Catalogue;

/// <summary>The setting catalogue, so that clients can build forms from it.</summary>
public static class GetCatalogue
{
    public sealed record SettingResponse(
        string Key, string Type, object? Default, string Description, IReadOnlyList<string> Seeds, string Rule,
        string? StricterIs, IReadOnlyList<string>? Choices, int? Min, int? Max, IReadOnlyList<string> AllowedRules);

    public static void Map(IEndpointRouteBuilder app) =>
        app.MapGet("/v1/policy/catalogue", Handle)
            .RequireAccess(ConfigurationAccess.SchoolReaders, Scopes.PolicyRead)
            .WithTags("Policy configuration")
            .WithName("GetCatalogue");

    public static Ok<IReadOnlyList<SettingResponse>> Handle() =>
        TypedResults.Ok<IReadOnlyList<SettingResponse>>(SettingCatalogue.All.Select(d => new SettingResponse(
            d.Key, Data.Tenancy.TenantDbContext.SnakeCase(d.Type.ToString()), d.Default, d.Description, d.Seeds, PolicyState.RuleName(d.Rule),
            d.StricterIs?.ToString().ToLowerInvariant(), d.Choices, d.Min, d.Max, d.AllowedRules.Select(PolicyState.RuleName).ToList())).ToList());
}
