using Trust.Platform.Policy.Domain.PolicyVersions;
using Trust.Platform.Policy.Model;

namespace Trust.Platform.Policy.Domain.SchoolApprovals;

public enum SchoolApprovalOutcome
{
    Recorded,

    /// <summary>A school approves what its staff will read: a draft or approved version is not that yet.</summary>
    NotPublished,

    /// <summary>The school has approved this version already; its approval stands as signed.</summary>
    AlreadyApproved,
}

/// <summary>A school's own approval of a trust version, and the review date it sets, without the database.</summary>
public static class SchoolApprovalRules
{
    /// <summary>
    /// Published or superseded: a governing body may meet after the trust has published the next version and still record
    /// that it approved the one before.
    /// </summary>
    public static SchoolApprovalOutcome Check(PolicyVersion version, bool alreadyApprovedBySchool) => version.Status switch
    {
        VersionStatus.Draft or VersionStatus.Approved => SchoolApprovalOutcome.NotPublished,
        _ when alreadyApprovedBySchool => SchoolApprovalOutcome.AlreadyApproved,
        _ => SchoolApprovalOutcome.Recorded,
    };

    /// <summary>000 line 203: approved 24.03.2026 and reviewed in 2 years, so the next review falls in March 2028.</summary>
    public static DateOnly NextReview(DateOnly approvedOn, int cycleMonths) => approvedOn.AddMonths(cycleMonths);

    /// <summary>
    /// The review date a school's document and reminders use: the school's own date when it set one, else the one its
    /// latest approval set, else the trust's.
    /// </summary>
    public static DateOnly? ReviewDate(DateOnly? schoolsOwn, DateOnly? fromLatestApproval, DateOnly? trusts) =>
        schoolsOwn ?? fromLatestApproval ?? trusts;
}
