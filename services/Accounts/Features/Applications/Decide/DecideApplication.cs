using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Trust.Platform.Accounts.Infrastructure;
using Trust.Platform.Accounts.Model;
using Trust.Platform.Accounts.Rules;
using Trust.Platform.Contracts;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Hosting.Http;
using Trust.Platform.Messaging.Outbox;

namespace Trust.Platform.Accounts.Features.Applications.Decide;

/// <summary>
/// One step of the approval chain (002 Appendix C: marketing officer, then headteacher; 000/003/004: the
/// leadership team). <see cref="Step"/> names the step being decided, so a decision meant for another
/// step is refused rather than applied to the wrong one.
/// </summary>
public sealed record DecisionRequest(string Step, DecisionOutcome Outcome, string? Reason = null);

public static partial class DecideApplication
{
    /// <summary>
    /// Separation of duties: the applicant never decides a step of their own application, whatever roles they
    /// hold (a marketing officer applying for the school's account is not its first approver, 002 Appendix C).
    /// </summary>
    public const string NoSelfApprovalRule = "accounts.no_self_approval";

    public static void Map(IEndpointRouteBuilder app) =>
        app.MapPost("/v1/applications/{id:guid}/decisions", Handle)
            .RequireAccess(Access.Deciders)
            .WithTags("Applications")
            .WithName("DecideApplication");

    public static async Task<Results<Ok<ApplicationResponse>, NotFound, ValidationProblem, ProblemHttpResult>> Handle(
        Guid id, DecisionRequest request, HttpContext http, AccountsDbContext db, TimeProvider time, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var principal = http.Principal();
        var application = await db.Applications.SingleOrDefaultAsync(a => a.Id == id, cancellationToken);
        // Anyone holding a school role there may be the step's decider; everyone else must not learn it exists.
        if (application is null || !principal.CanActForSchool(application.SchoolId, Access.Deciders))
        {
            return TypedResults.NotFound();
        }

        if (application.Status != ApplicationStatus.Pending)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "The application is already decided",
                detail: $"It was {ApiNames.Of(application.Status)}; no further decisions are taken.");
        }

        if (IsApplicant(principal, application))
        {
            return TypedResults.Problem(new ProblemDetails
            {
                Status = StatusCodes.Status403Forbidden,
                Title = "You cannot decide your own application",
                Detail = "Another holder of the step's role must decide it.",
                Extensions = { ["rule"] = NoSelfApprovalRule },
            });
        }

        var current = application.ApprovalChain[application.CurrentStep];
        if (!string.Equals(request.Step, current, StringComparison.Ordinal))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Out of order",
                detail: $"The step awaiting a decision is '{current}' (step {application.CurrentStep + 1} of {application.ApprovalChain.Length}), not '{request.Step}'.");
        }

        if (!principal.CanActForSchool(application.SchoolId, Access.RolesForStep(current)))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Not your step",
                detail: $"Only a holder of the role '{current}' for this school can decide this step.");
        }

        var errors = new FieldErrors().Optional("reason", request.Reason, 2000);
        if (request.Outcome == DecisionOutcome.Reject && string.IsNullOrWhiteSpace(request.Reason))
        {
            errors.Add("reason", "Say why the application is rejected.");
        }

        if (errors.Any)
        {
            return errors.ToProblem();
        }

        var now = time.GetUtcNow();
        var isFinal = application.CurrentStep == application.ApprovalChain.Length - 1;
        if (request.Outcome == DecisionOutcome.Approve && isFinal)
        {
            var refused = await CheckPreconditionsAsync(application, db, now, cancellationToken);
            if (refused is not null)
            {
                return refused;
            }
        }

        var decision = new ApplicationDecision
        {
            Id = Guid.CreateVersion7(now),
            TrustId = application.TrustId,
            ApplicationId = application.Id,
            Step = application.CurrentStep,
            Role = current,
            Outcome = request.Outcome,
            Reason = string.IsNullOrWhiteSpace(request.Reason) ? null : request.Reason.Trim(),
            DecidedBy = principal.Subject,
            DecidedByName = principal.DisplayName,
            DecidedByStaffId = principal.StaffId,
            DecidedAt = now,
        };
        db.Decisions.Add(decision);
        application.UpdatedAt = now;
        application.Version++;
        if (request.Outcome == DecisionOutcome.Reject)
        {
            application.Status = ApplicationStatus.Rejected;
        }
        else if (!isFinal)
        {
            application.CurrentStep++;
        }
        else
        {
            var account = Register(application, now);
            db.Accounts.Add(account);
            db.AddEvent(new AccountApproved(Guid.CreateVersion7(now), account.TrustId, account.SchoolId, now, account.Id, account.Platform, account.Handle, account.Administrators),
                account.Id.ToString(), now);
        }

        await db.SaveChangesAsync(cancellationToken);
        Log.Decided(loggers.CreateLogger(typeof(DecideApplication)), application.TrustId, application.SchoolId, application.Id, decision.Step, ApiNames.Of(decision.Outcome));
        var decisions = await db.Decisions.AsNoTracking().Where(d => d.ApplicationId == id).ToListAsync(cancellationToken);
        return TypedResults.Ok(ApplicationResponse.From(application, decisions));
    }

    /// <summary>The same person by sign-in (subject) or by roster id, as <see cref="Access.CanSee(PlatformPrincipal, AccountApplication)"/> recognises an applicant.</summary>
    private static bool IsApplicant(PlatformPrincipal principal, AccountApplication application) =>
        (application.ApplicantSubject.Length > 0 && application.ApplicantSubject == principal.Subject) ||
        (principal.StaffId is { } staff && application.ApplicantStaffId == staff);

    /// <summary>
    /// Final approval needs the minimum of the school's current policy and every administrator trained on
    /// the social media policy with the current version acknowledged; otherwise 422 naming each person
    /// and what they lack.
    /// </summary>
    private static async Task<ProblemHttpResult?> CheckPreconditionsAsync(
        AccountApplication application, AccountsDbContext db, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var policy = await EffectiveAccountPolicy.ForSchoolAsync(db, application.SchoolId, cancellationToken);
        var errors = new FieldErrors();
        if (application.Administrators.Length < policy.MinimumAdministrators)
        {
            errors.Add("administrators", PolicyRules.Minimum(policy, application.Administrators.Length));
        }

        var shortfalls = await AdministratorReadiness.CheckAsync(db, application.SchoolId, application.Administrators, policy, DateOnly.FromDateTime(now.UtcDateTime), cancellationToken);
        foreach (var shortfall in shortfalls)
        {
            var who = shortfall.Name is { Length: > 0 } name ? $"{name} ({shortfall.StaffId})" : shortfall.StaffId.ToString();
            errors.Add($"administrators.{shortfall.StaffId}", $"{who} lacks: {string.Join(", ", shortfall.Lacks)} (rule: {PolicyRules.AdministratorReadiness}).");
        }

        return errors.Any
            ? PolicyRules.Unprocessable(errors, "The administrators do not meet the preconditions of approval",
                new Dictionary<string, object?> { ["shortfalls"] = shortfalls, ["policyVersion"] = policy.Version })
            : null;
    }

    private static Account Register(AccountApplication application, DateTimeOffset now)
    {
        var businessCase = BusinessCaseJson.Read(application.BusinessCase);
        var account = new Account
        {
            Id = Guid.CreateVersion7(now),
            TrustId = application.TrustId,
            SchoolId = application.SchoolId,
            ApplicationId = application.Id,
            Platform = application.Platform,
            Handle = application.Handle,
            Url = businessCase.Url,
            OfficialEmail = businessCase.OfficialEmail,
            Status = AccountStatus.Live,
            Administrators = application.Administrators,
            // The custodian holds the credentials (in the vault); the first administrator unless the case names one.
            CredentialCustodian = businessCase.CredentialCustodian ?? application.Administrators.FirstOrDefault(),
            CreatedAt = now,
            UpdatedAt = now,
        };
        application.Status = ApplicationStatus.Approved;
        application.AccountId = account.Id;
        return account;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 4102, Level = LogLevel.Information, Message = "Application {ApplicationId} of school {SchoolId} in trust {TrustId}: step {Step} {Outcome}")]
        public static partial void Decided(ILogger logger, Guid trustId, Guid schoolId, Guid applicationId, int step, string outcome);
    }
}
