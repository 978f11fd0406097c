using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Trust.Platform.Data.Tenancy;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Hosting.Endpoints;
using Trust.Platform.Policy.Infrastructure;

namespace Trust.Platform.Policy.Features.Trusts.Get;

public sealed record GetTrustQuery(Guid TrustId);

public sealed class GetTrust(PolicyDbContext db, TenantContext tenant) : PlatformEndpoint<GetTrustQuery, Results<Ok<TrustResponse>, NotFound>>
{
    public override void Configure()
    {
        Get("/v1/trusts/{trustId:guid}");
        Allow(RoleSets.TrustDirectoryReaders, Scope.DirectoryRead);
        Document("Trusts", "Read a trust's directory entry",
            "A platform operator reads any trust; a trust admin or a key with directory:read reads its own trust only. Another trust is a 404, " +
            "whether or not it exists.");
    }

    public override async Task<Results<Ok<TrustResponse>, NotFound>> ExecuteAsync(GetTrustQuery query, CancellationToken ct)
    {
        if (Caller.TrustId is null && Caller.HasRole(Role.PlatformOperator))
        {
            tenant.Set(query.TrustId);
        }
        else if (Caller.TrustId != query.TrustId)
        {
            return TypedResults.NotFound(); // Another trust's record: do not reveal that it exists.
        }

        var trust = await db.Trusts.AsNoTracking().SingleOrDefaultAsync(t => t.TrustId == query.TrustId, ct);
        return trust is null ? TypedResults.NotFound() : TypedResults.Ok(new TrustResponse(trust.TrustId, trust.Name, trust.CreatedAt));
    }
}
