using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Trust.Platform.Accounts.Infrastructure;
using Trust.Platform.Accounts.Model;
using Trust.Platform.Accounts.Rules;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Hosting.Http;

namespace Trust.Platform.Accounts.Features.Applications.Create;

/// <summary>A member of staff applies for an official account with a business case (000/003/004; 002 Appendix C).</summary>
public static class CreateApplication
{
    public static void Map(IEndpointRouteBuilder app) =>
        app.MapPost("/v1/applications", Handle)
            .RequireAccess(Access.Applicants)
            .WithTags("Applications")
            .WithName("CreateApplication");

    public static async Task<Results<Created<ApplicationResponse>, NotFound, ValidationProblem, ProblemHttpResult>> Handle(
        ApplicationRequest request, HttpContext http, AccountsDbContext db, TimeProvider time, CancellationToken cancellationToken)
    {
        var principal = http.Principal();
        if (!principal.CanActForSchool(request.SchoolId, Access.Applicants) ||
            !await db.Schools.AnyAsync(s => s.SchoolId == request.SchoolId, cancellationToken))
        {
            return TypedResults.NotFound();
        }

        var shape = request.Validate();
        if (shape.Any)
        {
            return shape.ToProblem();
        }

        var policy = await EffectiveAccountPolicy.ForSchoolAsync(db, request.SchoolId, cancellationToken);
        var errors = await CheckAgainstPolicyAsync(request, policy, db, cancellationToken);
        if (errors.Any)
        {
            return PolicyRules.Unprocessable(errors, "The application does not meet the school's account policy");
        }

        var now = time.GetUtcNow();
        var application = new AccountApplication
        {
            Id = Guid.CreateVersion7(now),
            SchoolId = request.SchoolId,
            ApplicantSubject = principal.Subject,
            ApplicantStaffId = principal.StaffId,
            Platform = request.Platform,
            Handle = request.Handle.Trim(),
            Administrators = request.Administrators.ToArray(),
            BusinessCase = BusinessCaseJson.Write(request),
            ApprovalChain = policy.ApprovalChain.ToArray(),
            CurrentStep = 0,
            Status = ApplicationStatus.Pending,
            PolicyVersion = policy.Version,
            CreatedAt = now,
            UpdatedAt = now,
        };
        db.Applications.Add(application);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Created($"/v1/applications/{application.Id}", ApplicationResponse.From(application, []));
    }

    /// <summary>The school's effective policy (422): required fields, minimum administrators, staff, naming convention.</summary>
    private static async Task<FieldErrors> CheckAgainstPolicyAsync(
        ApplicationRequest request, EffectiveAccountPolicy policy, AccountsDbContext db, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        foreach (var key in policy.RequiredFields)
        {
            // REVIEW: a catalogue key this service does not know is ignored rather than blocking every application.
            if (ApplicationRequest.PolicyFields.TryGetValue(key, out var field) && !request.Has(field))
            {
                errors.Add(field, $"Required by the school's policy (rule: {PolicyRules.RequiredFields} includes '{key}', policy version {policy.Version}).");
            }
        }

        if (request.Administrators.Count < policy.MinimumAdministrators)
        {
            errors.Add("administrators", PolicyRules.Minimum(policy, request.Administrators.Count));
        }

        var staff = await db.Staff.AsNoTracking().Where(s => s.SchoolId == request.SchoolId && s.LeftOn == null).ToListAsync(cancellationToken);
        var current = staff.Select(s => s.StaffId).ToHashSet();
        for (var i = 0; i < request.Administrators.Count; i++)
        {
            if (!current.Contains(request.Administrators[i]))
            {
                errors.Add($"administrators[{i}]", $"Not a current member of staff of this school (rule: {PolicyRules.SchoolStaff}).");
            }
        }

        if (request.Moderator is { } moderator && !current.Contains(moderator))
        {
            errors.Add("moderator", $"Not a current member of staff of this school (rule: {PolicyRules.SchoolStaff}).");
        }

        if (request.CredentialCustodian is { } custodian && !request.Administrators.Contains(custodian))
        {
            errors.Add("credentialCustodian", $"Must be one of the administrators (rule: {PolicyRules.Custodian}).");
        }

        if (request.Visibility is not null && string.IsNullOrWhiteSpace(request.VisibilityReason))
        {
            errors.Add("visibilityReason", $"Say why the account is open or closed (rule: {PolicyRules.VisibilityReason}; 004: privacy setting with a reason).");
        }

        if (request.PupilsContribute && string.IsNullOrWhiteSpace(request.ParentalConsent))
        {
            errors.Add("parentalConsent", $"Required when pupils contribute (rule: {PolicyRules.ParentalConsent}; 002 Appendix C).");
        }

        if (policy.NamingConvention == EffectiveAccountPolicy.DepartmentOrActivity &&
            NamingConvention.LooksLikeAPersonsName(request.Handle, staff.Where(s => s.DisplayName.Length > 0).Select(s => s.DisplayName)))
        {
            errors.Add("handle", $"Name the account after the department or activity, not a member of staff (rule: {PolicyRules.NamingConvention} = {policy.NamingConvention}; 004).");
        }

        return errors;
    }
}
