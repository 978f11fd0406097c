using Trust.Platform.Data;
using Trust.Platform.Data.Tenancy;
using Trust.Platform.Incidents.Domain.Cases;

namespace Trust.Platform.Incidents.Model;

public sealed class IncidentCase : ITenantEntity, IHasTimeOrderedId
{
    public Guid TrustId { get; set; }

    public Guid Id { get; set; }

    public Guid SchoolId { get; set; }

    public string CaseType { get; set; } = "";

    public CaseStatus Status { get; set; } = CaseStatus.Open;

    /// <summary>Safeguarding: readable only by the DSL (and the chair when about the headteacher).</summary>
    public bool Restricted { get; set; }

    /// <summary>002: "If the concern is about the headteacher/principal, it will be reported to the Chair".</summary>
    public bool AboutHeadteacher { get; set; }

    /// <summary>The reporter flagged a safeguarding concern; kept so that re-routing recomputes the restriction.</summary>
    public bool Safeguarding { get; set; }

    /// <summary>000 journalist rule "headteacher_and_chair": the chair sees the case too.</summary>
    public bool ChairInformed { get; set; }

    public string Summary { get; set; } = "";

    public string SubjectKind { get; set; } = "";

    /// <summary>MIS id of a pupil or roster id of a staff member; nothing more about the person.</summary>
    public string? SubjectRef { get; set; }

    public string? SubjectRelationship { get; set; }

    /// <summary>Only for child-protection cases, to compute retention (date of birth + 25 years).</summary>
    public DateOnly? DateOfBirth { get; set; }

    public string Details { get; set; } = "{}";

    public string AssignedRole { get; set; } = "";

    /// <summary>Staff ids of the escalation contacts a whistle-blowing or grievance case went to (001 l.98-102); empty otherwise.</summary>
    public string[] EscalationRefs { get; set; } = [];

    public string ReporterSubject { get; set; } = "";

    public Guid? ReporterKeyId { get; set; }

    public DateTimeOffset ReceivedAt { get; set; }

    public DateTimeOffset? DueAt { get; set; }

    public DateTimeOffset? OverdueAt { get; set; }

    /// <summary>When the headteacher was warned that the response deadline was about to pass; once per case.</summary>
    public DateTimeOffset? ResponseWarnedAt { get; set; }

    public string? EscalationStep { get; set; }

    public string? Outcome { get; set; }

    public bool? Significant { get; set; }

    public DateTimeOffset? ClosedAt { get; set; }

    public DateOnly? RetentionUntil { get; set; }

    public bool LegalHold { get; set; }

    public string? LegalHoldReason { get; set; }

    public int TimelineCount { get; set; }

    public byte[]? TimelineHead { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public int Version { get; set; }
}

public sealed class TimelineEntry : ITenantEntity
{
    public Guid TrustId { get; set; }

    public Guid CaseId { get; set; }

    public int Seq { get; set; }

    public string Kind { get; set; } = "";

    public DateTimeOffset At { get; set; }

    public string Actor { get; set; } = "";

    public string ActorRole { get; set; } = "";

    public string Body { get; set; } = "";

    public byte[] PreviousHash { get; set; } = [];

    public byte[] Hash { get; set; } = [];
}

public sealed class AuditEntry : ITenantEntity, IHasTimeOrderedId
{
    public Guid TrustId { get; set; }

    public Guid Id { get; set; }

    public Guid SchoolId { get; set; }

    public Guid CaseId { get; set; }

    public string Actor { get; set; } = "";

    public string ActorRole { get; set; } = "";

    public string Action { get; set; } = "";

    public DateTimeOffset At { get; set; }
}

public sealed class EvidenceItem : ITenantEntity
{
    public Guid TrustId { get; set; }

    public Guid Id { get; set; }

    public Guid CaseId { get; set; }

    public string FileName { get; set; } = "";

    public string ContentType { get; set; } = "";

    public long SizeBytes { get; set; }

    public byte[] Sha256 { get; set; } = [];

    public DateTimeOffset CapturedAt { get; set; }

    public DateTimeOffset UploadedAt { get; set; }

    public string Uploader { get; set; } = "";

    public string StorageKey { get; set; } = "";
}

/// <summary>
/// What remains of a disposed case: what it was (type, school, month received), when and by whom it was disposed and
/// why; never its summary, its subject or its reporter. Written only by the database's dispose_case function.
/// </summary>
public sealed class CaseDisposal : ITenantEntity
{
    public Guid TrustId { get; set; }

    public Guid CaseId { get; set; }

    public Guid SchoolId { get; set; }

    public string CaseType { get; set; } = "";

    public bool Restricted { get; set; }

    public bool AboutHeadteacher { get; set; }

    public DateOnly ReceivedMonth { get; set; }

    public DateOnly? RetentionUntil { get; set; }

    public DateTimeOffset DisposedAt { get; set; }

    public string Actor { get; set; } = "";

    public string ActorRole { get; set; } = "";

    public string Reason { get; set; } = "";

    public int TimelineEntries { get; set; }

    public int EvidenceFiles { get; set; }
}

/// <summary>An encrypted evidence file of a disposed case, until it is gone from the evidence folder.</summary>
public sealed class EvidenceFileToRemove : ITenantEntity
{
    public Guid TrustId { get; set; }

    public string StorageKey { get; set; } = "";

    public Guid CaseId { get; set; }

    public DateTimeOffset DisposedAt { get; set; }
}
