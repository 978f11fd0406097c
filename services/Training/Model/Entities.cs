using Trust.Platform.Data;
using Trust.Platform.Data.Tenancy;
using Trust.Platform.Training.Domain.Roster;
using Trust.Platform.Training.Domain.Sessions;

namespace Trust.Platform.Training.Model;

/// <summary>A person on a school's roster: staff, volunteer or governor.</summary>
public sealed class Person : ITenantEntity
{
    public Guid TrustId { get; set; }

    public Guid Id { get; set; }

    public Guid SchoolId { get; set; }

    public string? MisId { get; set; }

    public string DisplayName { get; set; } = "";

    public string PersonType { get; set; } = "";

    public string[] Roles { get; set; } = [];

    public DateOnly StartDate { get; set; }

    public DateOnly? LeaveDate { get; set; }

    public DateTimeOffset? LeftAt { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>An MIS import (a roster sync or an import of completions): its status, progress and the rows it refused.</summary>
public sealed class RosterJob : ITenantEntity
{
    public Guid TrustId { get; set; }

    public Guid Id { get; set; }

    public Guid SchoolId { get; set; }

    /// <summary>roster (a roster sync) or completions (an import of completions): one job model for every MIS import.</summary>
    public string Kind { get; set; } = "roster";

    public RosterJobStatus Status { get; set; }

    public RosterFormat Format { get; set; }

    public int Total { get; set; }

    public int Processed { get; set; }

    public int Joined { get; set; }

    public int Updated { get; set; }

    public int RoleChanged { get; set; }

    public int LeftCount { get; set; }

    public int Unchanged { get; set; }

    public int Rejected { get; set; }

    public int Recorded { get; set; }

    public string Errors { get; set; } = "[]";

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? FinishedAt { get; set; }
}

/// <summary>
/// The acknowledgement baseline of a school, derived from the publications Training has seen: the latest major version
/// (the first version seen counts as one). Acknowledgements of versions published before it no longer count.
/// </summary>
public sealed class AcknowledgementBaseline : ITenantEntity
{
    public Guid TrustId { get; set; }

    public Guid SchoolId { get; set; }

    public Guid MajorVersionId { get; set; }

    public DateTimeOffset MajorPublishedAt { get; set; }
}

public sealed class PolicyVersion : ITenantEntity
{
    public Guid TrustId { get; set; }

    public Guid PolicyVersionId { get; set; }

    public Guid SchoolId { get; set; }

    public string Version { get; set; } = "";

    public bool IsMajor { get; set; }

    public DateTimeOffset PublishedAt { get; set; }

    /// <summary>What staff agree to by acknowledging this version (built from its staff rules and journalist rule when published).</summary>
    public string[] Statements { get; set; } = [];
}

public sealed class Course : ITenantEntity
{
    public Guid TrustId { get; set; }

    public Guid Id { get; set; }

    public string Code { get; set; } = "";

    public string Title { get; set; } = "";

    public int? ValidityMonths { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}

public sealed class Completion : ITenantEntity, IHasTimeOrderedId
{
    public Guid TrustId { get; set; }

    public Guid Id { get; set; }

    public Guid SchoolId { get; set; }

    public Guid PersonId { get; set; }

    public Guid CourseId { get; set; }

    public string CourseCode { get; set; } = "";

    public DateOnly CompletedOn { get; set; }

    public string Provider { get; set; } = "";

    public string? EvidenceReference { get; set; }

    public decimal? Score { get; set; }

    public DateOnly? ExpiresOn { get; set; }

    public DateTimeOffset? ExpiredAt { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}

public sealed class Acknowledgement : ITenantEntity, IHasTimeOrderedId
{
    public Guid TrustId { get; set; }

    public Guid Id { get; set; }

    public Guid SchoolId { get; set; }

    public Guid PersonId { get; set; }

    public Guid PolicyVersionId { get; set; }

    public string Version { get; set; } = "";

    public DateTimeOffset AcknowledgedAt { get; set; }

    /// <summary>The statements the person agreed to: the version's, copied when they acknowledged it.</summary>
    public string[] Statements { get; set; } = [];

    /// <summary>self (the person, signed in) or paper_sheet (recorded from a signed sheet).</summary>
    public string Method { get; set; } = Domain.Acknowledgements.AcknowledgementMethod.Self;

    /// <summary>Who recorded it when it was not the person (a user or an API key); null for their own.</summary>
    public string? RecordedBy { get; set; }

    /// <summary>The signed sheet it was recorded from.</summary>
    public Guid? SheetId { get; set; }
}

/// <summary>A scan of a signed acknowledgement sheet (PDF, PNG or JPEG): the evidence of the paper acknowledgements recorded from it.</summary>
public sealed class AcknowledgementSheet : ITenantEntity
{
    public Guid TrustId { get; set; }

    public Guid Id { get; set; }

    public Guid SchoolId { get; set; }

    public Guid PolicyVersionId { get; set; }

    public string FileName { get; set; } = "";

    public string ContentType { get; set; } = "";

    public int SizeBytes { get; set; }

    public byte[] Sha256 { get; set; } = [];

    public byte[] Content { get; set; } = [];

    public string RecordedBy { get; set; } = "";

    public DateTimeOffset RecordedAt { get; set; }
}

/// <summary>A requirement raised by an event (AccountApproved, a significant IncidentClosed) rather than by the calendar.</summary>
public sealed class RequirementTrigger : ITenantEntity
{
    public Guid TrustId { get; set; }

    public Guid Id { get; set; }

    public Guid SchoolId { get; set; }

    /// <summary>Null: every person on the school's roster when it was raised.</summary>
    public Guid? PersonId { get; set; }

    public string Requirement { get; set; } = "";

    public string CourseCode { get; set; } = "";

    public Guid SourceId { get; set; }

    public DateOnly RaisedOn { get; set; }

    public DateOnly DueOn { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>A pupil or parent session: a cohort and a count, never individual pupils.</summary>
public sealed class CohortSession : ITenantEntity
{
    public Guid TrustId { get; set; }

    public Guid Id { get; set; }

    public Guid SchoolId { get; set; }

    public SessionAudience Audience { get; set; }

    public string? YearGroup { get; set; }

    public string? ClassName { get; set; }

    public string Topic { get; set; } = "";

    public DateOnly HeldOn { get; set; }

    public string DeliveredBy { get; set; } = "";

    public int? AttendanceCount { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}
