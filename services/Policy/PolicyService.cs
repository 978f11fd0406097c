using Trust.Platform.Hosting;

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
        Features.Configuration.Overrides.GetOverrides.Map(app);
        Features.Configuration.Overrides.SetOverride.Map(app);
        Features.Configuration.Overrides.ClearOverride.Map(app);
        Features.Configuration.Versions.DraftVersion.Map(app);
        Features.Configuration.Versions.ListVersions.Map(app);
        Features.Configuration.Versions.ApproveVersion.Map(app);
        Features.Configuration.Versions.PublishVersion.Map(app);
        Features.Configuration.Documents.GetTemplate.Map(app);
        Features.Configuration.Documents.UpdateTemplate.Map(app);
        Features.Configuration.Documents.AmendSection.Map(app);
        Features.Configuration.Documents.GetDocument.Map(app);
        Features.Configuration.Reviews.ListReviews.Map(app);
    }
}
