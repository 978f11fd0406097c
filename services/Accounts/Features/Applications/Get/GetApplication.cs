using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Trust.Platform.Accounts.Domain.Applications;
using Trust.Platform.Accounts.Infrastructure;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Hosting.Endpoints;

namespace Trust.Platform.Accounts.Features.Applications.Get;

public sealed record GetApplicationQuery(Guid Id);

public sealed class GetApplication(AccountsDbContext db) : PlatformEndpoint<GetApplicationQuery, Results<Ok<ApplicationResponse>, NotFound>>
{
    private const string Title = "Read an application";

    private const string About =
        "The business case, the approval chain, the step awaited and every decision with who took it and why. The register's " +
        "managers (trust admin, headteacher, marketing officer) see their schools' applications, anyone else only their own: " +
        "any other is a 404.";

    public override void Configure()
    {
        Get("/v1/applications/{id:guid}");
        Allow(RoleSets.AccountApplicants);
        Document("Applications", Title, About);
        Summary(s =>
        {
            s.ResponseExamples[200] = ContractExample.Of(ApplicationExamples.Approved);
        });
    }

    public override async Task<Results<Ok<ApplicationResponse>, NotFound>> ExecuteAsync(GetApplicationQuery query, CancellationToken ct)
    {
        var application = await db.Applications.AsNoTracking().Visible(Caller).SingleOrDefaultAsync(a => a.Id == query.Id, ct);
        if (application is null)
        {
            return TypedResults.NotFound();
        }

        var decisions = await db.Decisions.AsNoTracking().Where(d => d.ApplicationId == application.Id).ToListAsync(ct);
        return TypedResults.Ok(ApplicationResponse.From(application, decisions));
    }
}
