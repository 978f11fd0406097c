using Microsoft.EntityFrameworkCore;
using Trust.Platform.Accounts.Infrastructure;
using Trust.Platform.Accounts.Rules;
using Trust.Platform.Hosting.Http;

namespace Trust.Platform.Accounts.Features.Applications.Create;

/// <summary>The school's effective policy applied to a business case (422): required fields, minimum administrators, staff, naming convention.</summary>
internal static class BusinessCasePolicy
{
    public static async Task<FieldErrors> CheckAsync(ApplicationRequest request, EffectiveAccountPolicy policy, AccountsDbContext db, CancellationToken cancellationToken)
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
        CheckPeople(request, staff.Select(s => s.StaffId).ToHashSet(), errors);
        CheckCase(request, errors);
        if (policy.NamingConvention == EffectiveAccountPolicy.DepartmentOrActivity &&
            NamingConvention.LooksLikeAPersonsName(request.Handle, staff.Where(s => s.DisplayName.Length > 0).Select(s => s.DisplayName)))
        {
            errors.Add("handle", $"Name the account after the department or activity, not a member of staff (rule: {PolicyRules.NamingConvention} = {policy.NamingConvention}; 004).");
        }

        return errors;
    }

    private static void CheckPeople(ApplicationRequest request, HashSet<Guid> current, FieldErrors errors)
    {
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
    }

    private static void CheckCase(ApplicationRequest request, FieldErrors errors)
    {
        if (request.Visibility is not null && string.IsNullOrWhiteSpace(request.VisibilityReason))
        {
            errors.Add("visibilityReason", $"Say why the account is open or closed (rule: {PolicyRules.VisibilityReason}; 004: privacy setting with a reason).");
        }

        if (request.PupilsContribute && string.IsNullOrWhiteSpace(request.ParentalConsent))
        {
            errors.Add("parentalConsent", $"Required when pupils contribute (rule: {PolicyRules.ParentalConsent}; 002 Appendix C).");
        }
    }
}
