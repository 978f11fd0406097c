using Trust.Platform.Hosting;

namespace Trust.Platform.Policy;

/// <summary>The Policy service: the trust and school directory, API keys and the policy configuration.</summary>
public sealed class PolicyService
{
    public static readonly PlatformServiceInfo Info = new("policy", Infrastructure.PolicyDbContext.Schema, typeof(PolicyService).Assembly, OwnsDirectory: true,
        Description: "Trusts and their schools, API keys, and the social media policy itself: the setting catalogue, the trust's baseline, " +
                     "each school's overrides within the trust's rules, the effective policy with provenance, versions, approval and publishing, " +
                     "review dates and each school's rendered policy document.");
}
