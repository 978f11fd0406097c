using Trust.Platform.Hosting;
using Trust.Platform.Policy.Features.ApiKeys.Create;
using Trust.Platform.Policy.Features.ApiKeys.Get;
using Trust.Platform.Policy.Features.ApiKeys.List;
using Trust.Platform.Policy.Features.ApiKeys.Revoke;
using Trust.Platform.Policy.Features.Schools.Create;
using Trust.Platform.Policy.Features.Schools.Get;
using Trust.Platform.Policy.Features.Schools.List;
using Trust.Platform.Policy.Features.Schools.Update;
using Trust.Platform.Policy.Features.Trusts.Create;
using Trust.Platform.Policy.Features.Trusts.Get;

namespace Trust.Platform.Policy;

/// <summary>The Policy service: the trust/school directory and API keys (issue 2), policy configuration later.</summary>
public sealed class PolicyService
{
    public static readonly PlatformServiceInfo Info = new("policy", Infrastructure.PolicyDbContext.Schema, typeof(PolicyService).Assembly, OwnsDirectory: true);

    public static void MapApi(IEndpointRouteBuilder app)
    {
        CreateTrust.Map(app);
        GetTrust.Map(app);
        CreateSchool.Map(app);
        ListSchools.Map(app);
        GetSchool.Map(app);
        UpdateSchool.Map(app);
        CreateApiKey.Map(app);
        ListApiKeys.Map(app);
        GetApiKey.Map(app);
        RevokeApiKey.Map(app);
    }
}
