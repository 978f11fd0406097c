using Trust.Platform.Hosting.Auth;

namespace Trust.Platform.Training.Domain.People;

/// <summary>Who sees one person's training records: the school's oversight (leaders, the DSL, keys for the school), or the person themself.</summary>
public static class PersonVisibility
{
    /// <summary>The caller is the person (their token's <c>tp_staff</c> claim), acting within that school.</summary>
    public static bool IsSelf(PlatformPrincipal caller, Guid schoolId, Guid personId) =>
        !caller.IsApiKey && caller.StaffId == personId && caller.CanActForSchool(schoolId, [.. RoleSets.AnyoneInSchool]);

    /// <summary>Oversight of the school sees everyone in it; anyone else sees only their own record (another's is a 404).</summary>
    public static bool CanSee(PlatformPrincipal caller, Guid schoolId, Guid personId) =>
        caller.CanActForSchool(schoolId, [.. RoleSets.SchoolOversight]) || IsSelf(caller, schoolId, personId);
}
