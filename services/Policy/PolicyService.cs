using Trust.Platform.Hosting;
using Trust.Platform.Policy.Features.ApiKeys.Changes;
using Trust.Platform.Policy.Features.ApiKeys.Create;
using Trust.Platform.Policy.Features.ApiKeys.Get;
using Trust.Platform.Policy.Features.ApiKeys.List;
using Trust.Platform.Policy.Features.ApiKeys.Revoke;
using Trust.Platform.Policy.Features.Trusts.Create;
using Trust.Platform.Policy.Features.Trusts.Get;

namespace Trust.Platform.Policy;

/// <summary>The Policy service: the trust and school directory, API keys and the policy configuration.</summary>
public sealed class PolicyService
{
    public static readonly PlatformServiceInfo Info = new("policy", Infrastructure.PolicyDbContext.Schema, typeof(PolicyService).Assembly, OwnsDirectory: true,
        Description: "Trusts and their schools, API keys, and the social media policy itself: the setting catalogue, the trust's baseline, " +
                     "each school's overrides within the trust's rules, the effective policy with provenance, versions, approval and publishing, " +
                     "review dates and each school's rendered policy document.");

    public static void MapApi(IEndpointRouteBuilder app)
    {
        CreateTrust.Map(app);
        GetTrust.Map(app);
        CreateApiKey.Map(app);
        ListApiKeys.Map(app);
        GetApiKey.Map(app);
        RevokeApiKey.Map(app);
        ListApiKeyChanges.Map(app);
        Features.Configuration.Catalogue.GetCatalogue.Map(app);
        Features.Configuration.Baseline.GetBaseline.Map(app);
        Features.Configuration.Baseline.UpdateBaselineSetting.Map(app);
        Features.Configuration.Baseline.PreviewBaselineConflicts.Map(app);
        Features.Configuration.Effective.GetEffectivePolicy.Map(app);
        Features.Configuration.Deviations.GetDeviations.Map(app);
    }
}
