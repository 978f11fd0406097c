using Trust.Platform.Data.Tenancy;

namespace Trust.Platform.Policy.Model;

/// <summary>A trust's policy: the baseline's concurrency version (its ETag).</summary>
public sealed class TrustPolicy : ITenantEntity
{
    public Guid TrustId { get; set; }

    public int Version { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>A baseline value and rule the trust set; absent rows mean the catalogue default.</summary>
public sealed class BaselineSetting : ITenantEntity
{
    public Guid TrustId { get; set; }

    public string Key { get; set; } = "";

    public string? ValueJson { get; set; }

    public string Rule { get; set; } = "";

    public DateTimeOffset UpdatedAt { get; set; }

    public string UpdatedBy { get; set; } = "";

    /// <summary>The published version this value first appeared in; null while unpublished.</summary>
    public string? Since { get; set; }
}

/// <summary>A school's policy: the concurrency version (ETag) of its overrides and amendments.</summary>
public sealed class SchoolPolicy : ITenantEntity
{
    public Guid TrustId { get; set; }

    public Guid SchoolId { get; set; }

    public int Version { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}

public sealed class SchoolOverride : ITenantEntity
{
    public Guid TrustId { get; set; }

    public Guid SchoolId { get; set; }

    public string Key { get; set; } = "";

    public string? ValueJson { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    public string UpdatedBy { get; set; } = "";

    public string? Since { get; set; }
}

/// <summary>A school's own text for a section the trust template marks amendable.</summary>
public sealed class SectionAmendment : ITenantEntity
{
    public Guid TrustId { get; set; }

    public Guid SchoolId { get; set; }

    public string SectionId { get; set; } = "";

    public string Markdown { get; set; } = "";

    /// <summary>Set when a major version is published: the school must look at its amended text again.</summary>
    public bool NeedsReview { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    public string UpdatedBy { get; set; } = "";
}

public sealed class PolicyVersion : ITenantEntity
{
    public Guid TrustId { get; set; }

    public Guid Id { get; set; }

    public int Major { get; set; }

    public int Minor { get; set; }

    public Domain.PolicyVersions.VersionKind Kind { get; set; }

    public Domain.PolicyVersions.VersionStatus Status { get; set; }

    public string Summary { get; set; } = "";

    public DateTimeOffset CreatedAt { get; set; }

    public string CreatedBy { get; set; } = "";

    public string? ApprovedByName { get; set; }

    public string? ApprovedByBody { get; set; }

    public DateOnly? ApprovedOn { get; set; }

    public DateTimeOffset? PublishedAt { get; set; }

    /// <summary>Baseline, overrides, amendments and template as published: what each school's document and events were built from.</summary>
    public string? Snapshot { get; set; }

    public int RowVersion { get; set; } = 1;

    public string Label => $"{Major}.{Minor}";
}

public sealed class ReviewReminder : ITenantEntity
{
    public Guid TrustId { get; set; }

    public Guid SchoolId { get; set; }

    public DateOnly ReviewDate { get; set; }

    public string Reminder { get; set; } = "";

    public DateTimeOffset EmittedAt { get; set; }
}

/// <summary>A school's own approval of a published trust version (000: "Approved by Governing Body, 24.03.2026").</summary>
public sealed class SchoolApproval : ITenantEntity
{
    public Guid TrustId { get; set; }

    public Guid SchoolId { get; set; }

    public Guid VersionId { get; set; }

    public string ApprovingBody { get; set; } = "";

    public string ApproverName { get; set; } = "";

    public DateOnly ApprovedOn { get; set; }

    /// <summary>The approval date plus the school's review cycle when it was recorded.</summary>
    public DateOnly NextReviewOn { get; set; }

    public DateTimeOffset RecordedAt { get; set; }

    public string RecordedBy { get; set; } = "";
}

/// <summary>The trust's own copy of a template of the library (a built-in one until the trust saves this row).</summary>
public sealed class DocumentTemplate : ITenantEntity
{
    public Guid TrustId { get; set; }

    public string Key { get; set; } = "";

    /// <summary><c>school</c> or <c>trust</c>, as the built-in template of the same key.</summary>
    public string Kind { get; set; } = "";

    public string Name { get; set; } = "";

    public string Markdown { get; set; } = "";

    /// <summary>The concurrency version (its ETag); the built-in template is version 0, the first saved copy 1.</summary>
    public int Version { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    public string UpdatedBy { get; set; } = "";
}
