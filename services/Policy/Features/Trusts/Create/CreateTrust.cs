using Microsoft.AspNetCore.Http.HttpResults;
using Trust.Platform.Data.Tenancy;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Hosting.Http;
using Trust.Platform.Policy.Infrastructure;
using Trust.Platform.Policy.Model;

namespace Trust.Platform.Policy.Features.Trusts.Create;

/// <summary>A platform operator onboards a trust together with its first trust admin.</summary>
public static class CreateTrust
{
    public sealed record FirstAdminRequest(string DisplayName, string Email);

    public sealed record Request(string Name, FirstAdminRequest FirstAdmin);

    public static void Map(IEndpointRouteBuilder app) =>
        app.MapPost("/v1/trusts", Handle)
            .RequireAccess([Roles.PlatformOperator])
            .WithTags("Trusts")
            .WithName("CreateTrust");

    public static async Task<Results<Created<CreatedTrustResponse>, ValidationProblem>> Handle(
        Request request, PolicyDbContext db, TenantContext tenant, TimeProvider time, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors()
            .Required("name", request.Name)
            .Required("firstAdmin.displayName", request.FirstAdmin.DisplayName)
            .Required("firstAdmin.email", request.FirstAdmin.Email, 320);
        if (!string.IsNullOrWhiteSpace(request.FirstAdmin.Email) && !EmailAddress.IsValid(request.FirstAdmin.Email))
        {
            errors.Add("firstAdmin.email", "Not an email address.");
        }

        if (errors.Any)
        {
            return errors.ToProblem();
        }

        var now = time.GetUtcNow();
        var trustId = Guid.CreateVersion7(now);
        // The operator belongs to no trust; this unit of work acts for the trust it creates.
        tenant.Set(trustId);
        var trust = new TrustOrganisation { TrustId = trustId, Name = request.Name.Trim(), CreatedAt = now };
        var admin = new TrustMember
        {
            Id = Guid.CreateVersion7(now),
            DisplayName = request.FirstAdmin.DisplayName.Trim(),
            Email = request.FirstAdmin.Email.Trim().ToLowerInvariant(),
            Roles = [Roles.TrustAdmin],
            CreatedAt = now,
        };
        db.Trusts.Add(trust);
        db.TrustMembers.Add(admin);
        await db.SaveChangesAsync(cancellationToken);

        return TypedResults.Created($"/v1/trusts/{trustId}", new CreatedTrustResponse(
            trustId, trust.Name, now, new TrustMemberResponse(admin.Id, admin.DisplayName, admin.Email, admin.Roles)));
    }
}

internal static class EmailAddress
{
    public static bool IsValid(string value)
    {
        var at = value.IndexOf('@', StringComparison.Ordinal);
        return at > 0 && at == value.LastIndexOf('@') && value.IndexOf('.', at) > at + 1 && !value.EndsWith('.') && !value.Any(char.IsWhiteSpace);
    }
}
