using Trust.Platform.Data.Tenancy;

namespace Trust.Platform.Accounts.Model;

/// <summary>A person on a school's roster as Training announced them (StaffJoined/Left/RoleChanged).</summary>
public sealed class StaffMember : ITenantEntity
{
    public Guid TrustId { get; set; }

    public Guid SchoolId { get; set; }

    public Guid StaffId { get; set; }

    public string DisplayName { get; set; } = "";

    public string[] Roles { get; set; } = [];

    public DateOnly? LeftOn { get; set; }

    /// <summary>Occurred-at of the last event applied; an older event arriving late is ignored.</summary>
    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>Latest training state of one person for one course (TrainingCompleted/TrainingExpired).</summary>
public sealed class TrainingRecord : ITenantEntity
{
    /// <summary>The course that is "the current social media policy training" (000/003: all staff are trained on this policy).</summary>
    public const string SocialMediaPolicy = "social_media_policy";

    public Guid TrustId { get; set; }

    public Guid SchoolId { get; set; }

    public Guid StaffId { get; set; }

    public string CourseCode { get; set; } = "";

    public DateOnly? CompletedOn { get; set; }

    public DateOnly? ExpiresOn { get; set; }

    public DateOnly? ExpiredOn { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    public bool IsCurrentOn(DateOnly today) =>
        CompletedOn is not null && ExpiredOn is null && (ExpiresOn is null || ExpiresOn.Value >= today);
}

/// <summary>A person acknowledged a specific published policy version (PolicyAcknowledged).</summary>
public sealed class PolicyAcknowledgement : ITenantEntity
{
    public Guid TrustId { get; set; }

    public Guid SchoolId { get; set; }

    public Guid StaffId { get; set; }

    public Guid PolicyVersionId { get; set; }

    public string Version { get; set; } = "";

    public DateTimeOffset AcknowledgedAt { get; set; }
}
