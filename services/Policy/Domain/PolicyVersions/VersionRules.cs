using Trust.Platform.Policy.Model;

namespace Trust.Platform.Policy.Domain.PolicyVersions;

/// <summary>Where a version is in its life: draft, approved (a major needs it), published, then superseded by the next.</summary>
public enum VersionStatus
{
    Draft,
    Approved,
    Published,
    Superseded,
}

/// <summary>Major: re-approval, and staff acknowledge again. Minor: metadata, typos.</summary>
public enum VersionKind
{
    Major,
    Minor,
}

public enum ApproveOutcome
{
    Approved,

    /// <summary>Only a draft is approved: an approved version already has its approval, a published one is history.</summary>
    NotADraft,
}

public enum PublishCheck
{
    MayPublish,

    /// <summary>Published or superseded already.</summary>
    NotOpen,

    /// <summary>A major version is published only once its approval is recorded.</summary>
    NeedsApproval,
}

/// <summary>The state transitions of a policy version (draft, approved, published, superseded), without the database.</summary>
public static class VersionRules
{
    /// <summary>A trust has at most one version in progress: the next is drafted once it is published.</summary>
    public static bool IsOpen(VersionStatus status) => status is VersionStatus.Draft or VersionStatus.Approved;

    /// <summary>
    /// The number and kind of a new draft after <paramref name="lastPublished"/> (the highest published or superseded version).
    /// The first version of a trust's policy is 1.0 and major whatever was asked: everyone must acknowledge it.
    /// </summary>
    public static (int Major, int Minor, VersionKind Kind) Next(PolicyVersion? lastPublished, VersionKind requested) =>
        lastPublished is null ? (1, 0, VersionKind.Major)
        : requested == VersionKind.Major ? (lastPublished.Major + 1, 0, VersionKind.Major)
        : (lastPublished.Major, lastPublished.Minor + 1, VersionKind.Minor);

    /// <summary>Records who approved the draft, for which body and when.</summary>
    public static ApproveOutcome Approve(PolicyVersion version, string approverName, string approvingBody, DateOnly approvedOn)
    {
        if (version.Status != VersionStatus.Draft)
        {
            return ApproveOutcome.NotADraft;
        }

        version.Status = VersionStatus.Approved;
        version.ApprovedByName = approverName.Trim();
        version.ApprovedByBody = approvingBody.Trim();
        version.ApprovedOn = approvedOn;
        version.RowVersion++;
        return ApproveOutcome.Approved;
    }

    public static PublishCheck CanPublish(PolicyVersion version) => version switch
    {
        { Status: not (VersionStatus.Draft or VersionStatus.Approved) } => PublishCheck.NotOpen,
        { Kind: VersionKind.Major, Status: not VersionStatus.Approved } => PublishCheck.NeedsApproval,
        _ => PublishCheck.MayPublish,
    };

    /// <summary>The version becomes the published one; the one published before it is superseded.</summary>
    public static void Publish(PolicyVersion version, IEnumerable<PolicyVersion> previouslyPublished, DateTimeOffset now)
    {
        foreach (var previous in previouslyPublished.Where(v => v.Status == VersionStatus.Published && v.Id != version.Id))
        {
            previous.Status = VersionStatus.Superseded;
            previous.RowVersion++;
        }

        version.Status = VersionStatus.Published;
        version.PublishedAt = now;
        version.RowVersion++;
    }

    /// <summary>The API's name of a status or kind (as stored: snake_case).</summary>
    public static string Name<TEnum>(TEnum value)
        where TEnum : struct, Enum => Data.Tenancy.TenantDbContext.SnakeCase(value.ToString());

    public static TEnum Parse<TEnum>(string value)
        where TEnum : struct, Enum => Enum.Parse<TEnum>(value.Replace("_", "", StringComparison.Ordinal), ignoreCase: true);
}
