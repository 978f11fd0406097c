using FastEndpoints;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Trust.Platform.Accounts.Infrastructure;
using Trust.Platform.Accounts.Model;
using Trust.Platform.Accounts.Rules;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Hosting.Endpoints;
using Trust.Platform.Hosting.Http;

namespace Trust.Platform.Accounts.Features.Applications.Create;

public sealed class CreateApplicationCommand
{
    [FromBody]
    public ApplicationRequest Body { get; init; } = null!;
}

/// <summary>A member of staff applies for an official account with a business case (000/003/004; 002 Appendix C).</summary>
public sealed class CreateApplication(AccountsDbContext db, TimeProvider time)
    : PlatformEndpoint<CreateApplicationCommand, Results<Created<ApplicationResponse>, NotFound, ProblemHttpResult>>
{
    private const string Title = "Apply for an official social media account";

    private const string About =
        "A member of staff (or the school's managers) presents the business case for an account of their school (000/003/004: " +
        "\"present a business case to the Leadership Team\"; 002 Appendix C). The school's published policy decides which fields " +
        "are required, the minimum number of administrators (004: at least two) and the naming convention (004: after the " +
        "department or activity, not a member of staff); a breach is a 422 naming each field and its rule. Administrators and the " +
        "moderator must be current staff of the school. The application then waits for the approval chain the policy names. " +
        "A school the caller does not act for is a 404. With an Idempotency-Key, a retry returns the application created the " +
        "first time; the same key with another body is a 422.";

    public override void Configure()
    {
        Post("/v1/applications");
        Allow(RoleSets.AccountApplicants);
        Document("Applications", Title, About);
        Problems(409, 422);
        Idempotent("Send one per application: a retry with it returns the application created the first time.");
        Summary(s =>
        {
            s.ExampleRequest = ContractExample.Of(ApplicationExamples.Request);
            s.ResponseExamples[201] = ContractExample.Of(ApplicationExamples.Pending);
        });
    }

    public override async Task<Results<Created<ApplicationResponse>, NotFound, ProblemHttpResult>> ExecuteAsync(CreateApplicationCommand command, CancellationToken ct)
    {
        var request = command.Body;
        if (!Caller.CanActForSchool(request.SchoolId, [.. RoleSets.AccountApplicants]) ||
            !await db.Schools.AnyAsync(s => s.SchoolId == request.SchoolId, ct))
        {
            return TypedResults.NotFound();
        }

        var policy = await EffectiveAccountPolicy.ForSchoolAsync(db, request.SchoolId, ct);
        var errors = await BusinessCasePolicy.CheckAsync(request, policy, db, ct);
        if (errors.Any)
        {
            return ApiProblem.RuleRefused(PolicyRules.AccountPolicy, "The application does not meet the school's account policy", errors);
        }

        var application = NewApplication(request, policy, time.GetUtcNow());
        db.Applications.Add(application);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/v1/applications/{application.Id}", ApplicationResponse.From(application, []));
    }

    /// <summary>A pending application at the first step of the chain the school's policy names now (docs/adr/0110).</summary>
    private AccountApplication NewApplication(ApplicationRequest request, EffectiveAccountPolicy policy, DateTimeOffset now) => new()
    {
        Id = Guid.CreateVersion7(now),
        SchoolId = request.SchoolId,
        ApplicantSubject = Caller.Subject,
        ApplicantStaffId = Caller.StaffId,
        Platform = request.Platform,
        Handle = request.Handle.Trim(),
        Administrators = [.. request.Administrators],
        BusinessCase = BusinessCaseJson.Write(request),
        ApprovalChain = [.. policy.ApprovalChain],
        CurrentStep = 0,
        Status = ApplicationStatus.Pending,
        PolicyVersion = policy.Version,
        CreatedAt = now,
        UpdatedAt = now,
    };
}

public sealed class CreateApplicationValidator : Validator<CreateApplicationCommand>
{
    public CreateApplicationValidator()
    {
        RuleFor(x => x.Body).SetValidator(new ApplicationRequestRules());
    }
}
