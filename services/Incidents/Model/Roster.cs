using Trust.Platform.Data.Tenancy;

namespace Trust.Platform.Incidents.Model;

/// <summary>
/// Who holds which roster role at a school, as Training announced it (StaffJoined / StaffRoleChanged / StaffLeft):
/// no names, only what the case rules need (who is the headteacher).
/// </summary>
public sealed class RosterMember : ITenantEntity
{
    public Guid TrustId { get; set; }

    public Guid SchoolId { get; set; }

    public Guid StaffId { get; set; }

    public string[] Roles { get; set; } = [];

    public DateOnly? LeftOn { get; set; }

    /// <summary>The occurred-at of the event that last changed the row: a late, older event never undoes a newer one.</summary>
    public DateTimeOffset UpdatedAt { get; set; }
}
