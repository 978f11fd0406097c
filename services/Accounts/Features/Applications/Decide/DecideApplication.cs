using FastEndpoints;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Trust.Platform.Accounts.Domain.Accounts;
using Trust.Platform.Accounts.Domain.Applications;
using Trust.Platform.Accounts.Infrastructure;
using Trust.Platform.Accounts.Model;
using Trust.Platform.Accounts.Rules;
using Trust.Platform.Contracts;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Hosting.Endpoints;
using Trust.Platform.Hosting.Http;
using Trust.Platform.Messaging.Outbox;

namespace Trust.Platform.Accounts.Features.Applications.Decide;

/// <summary>
/// One step of the approval chain. <see cref="Step"/> names the step being decided, so a decision meant for another
/// step is refused rather than applied to the wrong one.
/// </summary>
/// <param name="Step">The role whose step this is, as the application's <c>nextStep</c> shows it (e.g. <c>marketing_officer</c>).</param>
/// <param name="Reason">Why; required to reject.</param>
public sealed record DecisionRequest(string Step, DecisionOutcome Outcome, string? Reason = null);

public sealed class DecideApplicationCommand
{
    public Guid Id { get; init; }

    [FromBody]
    public DecisionRequest Body { get; init; } = null!;
}

public sealed partial class DecideApplication(AccountsDbContext db, TimeProvider time, ILogger<DecideApplication> logger)
    : PlatformEndpoint<DecideApplicationCommand, Results<Ok<ApplicationResponse>, NotFound, ProblemHttpResult>>
{
    private const string Title = "Decide the awaited step of an application";

    private const string About =
        "The holder of the awaited step's role approves or rejects it (002 Appendix C: the marketing officer, then the headteacher " +
        "or the CEO; 000/003/004: the leadership team, taken by the headteacher). A decision naming another step is a 409; a " +
        "caller without the step's role is a 403 (rule accounts.approval_step_role); the applicant never decides their own " +
        "application (403, rule accounts.no_self_approval). A rejection needs a reason and ends the application. The final " +
        "approval needs the policy's minimum of administrators (004: at least two), each current staff, trained on the social " +
        "media policy and having acknowledged its current version: otherwise a 422 naming each person and what they lack. It " +
        "registers the account and announces AccountApproved. An application the caller cannot see is a 404.";

    public override void Configure()
    {
        Post("/v1/applications/{id:guid}/decisions");
        Allow(RoleSets.AnyoneInSchool);
        Document("Applications", Title, About);
        Problems(409, 422);
        Summary(s =>
        {
            s.ExampleRequest = ContractExample.Of(new DecisionRequest("leadership_team", DecisionOutcome.Approve));
            s.ResponseExamples[200] = ContractExample.Of(ApplicationExamples.Approved);
        });
    }

    public override async Task<Results<Ok<ApplicationResponse>, NotFound, ProblemHttpResult>> ExecuteAsync(DecideApplicationCommand command, CancellationToken ct)
    {
        var application = await db.Applications.SingleOrDefaultAsync(a => a.Id == command.Id, ct);
        // Anyone holding a school role there may be the step's decider; everyone else must not learn it exists.
        if (application is null || !Caller.CanActForSchool(application.SchoolId, [.. RoleSets.AnyoneInSchool]))
        {
            return TypedResults.NotFound();
        }

        var request = command.Body;
        var decider = new Decider(Caller.Subject, Caller.StaffId, roles => Caller.CanActForSchool(application.SchoolId, [.. roles]));
        var outcome = ApprovalChain.Decide(application, decider, request.Step, request.Outcome);
        if (Refusal(outcome) is { } refused)
        {
            return refused;
        }

        var now = time.GetUtcNow();
        if (outcome is DecideOutcome.FinalApproval && await PreconditionsAsync(application, ct) is { } unmet)
        {
            return unmet;
        }

        var decision = Record(application, outcome, request, now);
        var businessCase = BusinessCaseJson.Read(application.BusinessCase);
        if (ApprovalChain.Apply(application, decision, new(businessCase.Url, businessCase.OfficialEmail, businessCase.CredentialCustodian), now) is { } account)
        {
            db.Accounts.Add(account);
            db.AddEvent(new AccountApproved(Guid.CreateVersion7(now), account.TrustId, account.SchoolId, now, account.Id, account.Platform, account.Handle, account.Administrators),
                account.Id.ToString(), now);
        }

        await db.SaveChangesAsync(ct);
        Log.Decided(logger, application.TrustId, application.SchoolId, application.Id, decision.Step, ApiNames.Of(decision.Outcome));
        var decisions = await db.Decisions.AsNoTracking().Where(d => d.ApplicationId == application.Id).ToListAsync(ct);
        return TypedResults.Ok(ApplicationResponse.From(application, decisions));
    }

    /// <summary>The problem for an outcome that refuses the decision; null when it may be recorded.</summary>
    private static ProblemHttpResult? Refusal(DecideOutcome outcome) => outcome switch
    {
        DecideOutcome.AlreadyDecided decided => ApiProblem.WrongState("The application is already decided", ApiNames.Of(decided.Status),
            $"It was {ApiNames.Of(decided.Status)}; no further decisions are taken."),
        DecideOutcome.SelfApproval => ApiProblem.Forbidden(ApprovalChain.NoSelfApprovalRule, "You cannot decide your own application",
            "Another holder of the step's role must decide it."),
        DecideOutcome.OutOfOrder order => ApiProblem.Conflict("Out of order",
            $"The step awaiting a decision is '{order.Awaited}' (step {order.StepNumber} of {order.Steps})."),
        DecideOutcome.NotYourStep step => ApiProblem.Forbidden(ApprovalChain.StepRoleRule, "Not your step",
            $"Only a holder of the role '{step.Awaited}' for this school can decide this step."),
        _ => null,
    };

    /// <summary>The 422 when the final approval's preconditions do not hold (each administrator named with what they lack); null when they do.</summary>
    private async Task<ProblemHttpResult?> PreconditionsAsync(AccountApplication application, CancellationToken ct)
    {
        var policy = await EffectiveAccountPolicy.ForSchoolAsync(db, application.SchoolId, ct);
        var today = await SchoolDay.TodayAsync(db, time, application.SchoolId, ct);
        var shortfalls = await AdministratorReadiness.CheckAsync(db, application.SchoolId, application.Administrators, policy, today, ct);
        var preconditions = ApprovalChain.Preconditions(application.Administrators.Length, policy.MinimumAdministrators, shortfalls);
        if (preconditions.Met)
        {
            return null;
        }

        var errors = new FieldErrors();
        if (preconditions.BelowMinimum)
        {
            errors.Add("administrators", PolicyRules.Minimum(policy, application.Administrators.Length));
        }

        foreach (var shortfall in preconditions.Shortfalls)
        {
            var who = shortfall.Name is { Length: > 0 } name ? $"{name} ({shortfall.StaffId})" : shortfall.StaffId.ToString();
            errors.Add($"administrators.{shortfall.StaffId}", $"{who} lacks: {string.Join(", ", shortfall.Lacks)} (rule: {PolicyRules.AdministratorReadiness}).");
        }

        var rule = preconditions.BelowMinimum ? PolicyRules.MinimumAdministrators : PolicyRules.AdministratorReadiness;
        return ApiProblem.RuleRefused(rule, "The administrators do not meet the preconditions of approval", errors,
            new Dictionary<string, object?> { ["shortfalls"] = shortfalls, ["policyVersion"] = policy.Version });
    }

    private ApplicationDecision Record(AccountApplication application, DecideOutcome outcome, DecisionRequest request, DateTimeOffset now)
    {
        var decision = new ApplicationDecision
        {
            Id = Guid.CreateVersion7(now),
            TrustId = application.TrustId,
            ApplicationId = application.Id,
            Step = application.CurrentStep,
            Role = application.ApprovalChain[application.CurrentStep],
            Outcome = outcome is DecideOutcome.Rejects ? DecisionOutcome.Reject : DecisionOutcome.Approve,
            Reason = string.IsNullOrWhiteSpace(request.Reason) ? null : request.Reason.Trim(),
            DecidedBy = Caller.Subject,
            DecidedByName = Caller.DisplayName,
            DecidedByStaffId = Caller.StaffId,
            DecidedAt = now,
        };
        db.Decisions.Add(decision);
        return decision;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 4102, Level = LogLevel.Information, Message = "Application {ApplicationId} of school {SchoolId} in trust {TrustId}: step {Step} {Outcome}")]
        public static partial void Decided(ILogger logger, Guid trustId, Guid schoolId, Guid applicationId, int step, string outcome);
    }
}

public sealed class DecisionRequestRules : AbstractValidator<DecisionRequest>
{
    public DecisionRequestRules()
    {
        RuleFor(x => x.Step).NotEmpty().WithMessage("Required: the step awaiting a decision.").MaximumLength(50);
        RuleFor(x => x.Outcome).IsInEnum();
        RuleFor(x => x.Reason).MaximumLength(2000);
        RuleFor(x => x.Reason).NotEmpty().When(x => x.Outcome == DecisionOutcome.Reject).WithMessage("Say why the application is rejected.");
    }
}

public sealed class DecideApplicationValidator : Validator<DecideApplicationCommand>
{
    public DecideApplicationValidator() => RuleFor(x => x.Body).SetValidator(new DecisionRequestRules());
}
