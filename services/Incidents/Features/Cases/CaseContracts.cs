using System.Text.Json;
using Trust.Platform.Incidents.Domain;
using Trust.Platform.Incidents.Domain.Cases;
using Trust.Platform.Incidents.Model;

namespace Trust.Platform.Incidents.Features.Cases;

public sealed record SubjectResponse(SubjectKind Kind, string? MisId, Guid? RosterId, string? Relationship, DateOnly? DateOfBirth);

/// <summary>What the reporter (and an integration that filed the report) sees: that it was received, and its status.</summary>
public sealed record CaseReceipt(Guid Id, CaseType Type, CaseStatus Status, DateTimeOffset ReceivedAt)
{
    /// <summary>Always "receipt": which of a case's two views this is (GET /v1/cases/{id} answers either).</summary>
    public string View => CaseViews.Receipt;
}

/// <summary>The values of <c>view</c>, the property that tells a case's two answers apart (as in a case list's rows).</summary>
public static class CaseViews
{
    public const string Full = "full";
    public const string Receipt = "receipt";
}

/// <summary>One entry of a case's hash-chained timeline; <c>hash</c> links it to the entry before (hex SHA-256).</summary>
public sealed record TimelineEntryResponse(int Seq, string Kind, DateTimeOffset At, string Actor, string ActorRole, JsonElement Body, string Hash)
{
    public static TimelineEntryResponse From(TimelineEntry t) =>
        new(t.Seq, t.Kind, t.At, t.Actor, t.ActorRole, JsonDocument.Parse(t.Body).RootElement.Clone(), Convert.ToHexStringLower(t.Hash));
}

public sealed record EscalationResponse(string Step, string Reason, string By, string Role, DateTimeOffset At);

[NJsonSchema.Annotations.JsonSchemaProcessor(typeof(CaseDetailsSchema))]
public sealed record CaseResponse(
    Guid Id,
    Guid SchoolId,
    CaseType Type,
    CaseStatus Status,
    bool Restricted,
    bool AboutHeadteacher,
    string Summary,
    SubjectResponse Subject,
    JsonElement Details,
    string AssignedRole,
    DateTimeOffset ReceivedAt,
    DateTimeOffset? DueAt,
    bool Overdue,
    string? EscalationStep,
    IReadOnlyList<EscalationResponse> Escalations,
    string? Outcome,
    bool? Significant,
    DateTimeOffset? ClosedAt,
    DateOnly? RetentionUntil,
    bool LegalHold,
    string? LegalHoldReason,
    int Version)
{
    /// <summary>Always "full": which of a case's two views this is (GET /v1/cases/{id} answers either).</summary>
    public string View => CaseViews.Full;
}

/// <summary>A row of a case list: full for cases the caller may read, receipt fields only for the caller's own reports.</summary>
public sealed record CaseSummary(
    Guid Id, Guid SchoolId, CaseType Type, CaseStatus Status, DateTimeOffset ReceivedAt, string View,
    bool? Restricted, string? AssignedRole, DateTimeOffset? DueAt, bool? Overdue, bool? LegalHold, DateOnly? RetentionUntil);

public static class CaseMapping
{
    public static CaseType TypeOf(IncidentCase c) => c.Type();

    public static CaseReceipt Receipt(IncidentCase c) => new(c.Id, TypeOf(c), c.Status, c.ReceivedAt);

    public static CaseSummary Summary(IncidentCase c, bool full) => full
        ? new(c.Id, c.SchoolId, TypeOf(c), c.Status, c.ReceivedAt, CaseViews.Full, c.Restricted, c.AssignedRole, c.DueAt, c.OverdueAt is not null, c.LegalHold, c.RetentionUntil)
        : new(c.Id, c.SchoolId, TypeOf(c), c.Status, c.ReceivedAt, CaseViews.Receipt, null, null, null, null, null, null);

    public static CaseResponse Full(IncidentCase c, IReadOnlyList<EscalationResponse> escalations)
    {
        var kind = Enum.Parse<SubjectKind>(c.SubjectKind, ignoreCase: true);
        var subject = new SubjectResponse(kind,
            kind == SubjectKind.Pupil ? c.SubjectRef : null,
            kind == SubjectKind.Staff && Guid.TryParse(c.SubjectRef, out var roster) ? roster : null,
            c.SubjectRelationship, c.DateOfBirth);
        return new CaseResponse(c.Id, c.SchoolId, TypeOf(c), c.Status, c.Restricted, c.AboutHeadteacher, c.Summary, subject,
            JsonDocument.Parse(c.Details).RootElement.Clone(), c.AssignedRole, c.ReceivedAt, c.DueAt, c.OverdueAt is not null, c.EscalationStep,
            escalations, c.Outcome, c.Significant, c.ClosedAt, c.RetentionUntil, c.LegalHold, c.LegalHoldReason, c.Version);
    }

    /// <summary>Stored details use the API's own JSON shape (camelCase, snake_case enums).</summary>
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };
}

/// <summary>
/// <c>details</c> is stored as the report gave it, so the contract cannot type it by itself: it says, per case type, which of
/// the report's detail schemas it is (read off <see cref="Report.ReportCaseRequest"/>, so a new type is described with it).
/// </summary>
public sealed class CaseDetailsSchema : NJsonSchema.Generation.ISchemaProcessor
{
    public void Process(NJsonSchema.Generation.SchemaProcessorContext context)
    {
        if (!context.Schema.ActualSchema.Properties.TryGetValue("details", out var details))
        {
            return;
        }

        var byType = typeof(Report.ReportCaseRequest).GetProperties()
            .Select(p => (p.Name, Schema: (Nullable.GetUnderlyingType(p.PropertyType) ?? p.PropertyType).Name))
            .Where(p => p.Schema.EndsWith("Details", StringComparison.Ordinal))
            .Select(p => $"`{JsonNamingPolicy.SnakeCaseLower.ConvertName(p.Name)}`: {p.Schema}");
        details.Description =
            "The details of the case's type, as the report gave them: the object the report sent under the type's own name, so its schema is the " +
            "report's (" + string.Join("; ", byType) + "). A field the report left out is null. A blocked_content_request, recorded only " +
            "before those requests moved to Policy, keeps the fields it was filed with.";
    }
}
