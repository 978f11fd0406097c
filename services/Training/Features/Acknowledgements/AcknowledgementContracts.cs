using Trust.Platform.Training.Model;

namespace Trust.Platform.Training.Features.Acknowledgements;

/// <summary>The person acknowledges having read and understood one published version of the school's policy.</summary>
/// <param name="PolicyVersionId">A version of this school's policy as published (see the training policy's <c>policyVersionId</c>).</param>
public sealed record AcknowledgementRequest(Guid PolicyVersionId);

/// <summary>An acknowledgement and what the person agreed to.</summary>
/// <param name="Statements">
/// The statements agreed, built from the school's effective staff rules (personal use in lessons and breaks; following
/// current pupils, ex-pupils under 18 and parents) and journalist rule in the acknowledged version; empty for an
/// acknowledgement recorded before statements were kept.
/// </param>
/// <param name="Method">self (the person, signed in) or paper_sheet (recorded from a signed sheet).</param>
/// <param name="RecordedBy">Who recorded a paper acknowledgement (staff:..., user:... or api-key:...); null for the person's own.</param>
/// <param name="SheetId">The signed sheet a paper acknowledgement was recorded from.</param>
public sealed record AcknowledgementResponse(
    Guid Id, Guid PersonId, Guid PolicyVersionId, string Version, DateTimeOffset AcknowledgedAt, IReadOnlyList<string> Statements, string Method,
    string? RecordedBy, Guid? SheetId)
{
    public static AcknowledgementResponse From(Acknowledgement a) =>
        new(a.Id, a.PersonId, a.PolicyVersionId, a.Version, a.AcknowledgedAt, a.Statements, a.Method, a.RecordedBy, a.SheetId);
}

/// <summary>A signed sheet recorded: the evidence kept, and whose acknowledgements it added or found already given.</summary>
/// <param name="Sha256">The scan's SHA-256 (hex), as kept and as the download's Repr-Digest gives it.</param>
/// <param name="Acknowledged">People whose acknowledgement of the version this sheet recorded now.</param>
/// <param name="AlreadyAcknowledged">People listed who had already acknowledged the version (their own, or from a sheet): kept as it was.</param>
public sealed record AcknowledgementSheetResponse(
    Guid Id, Guid SchoolId, Guid PolicyVersionId, string Version, string FileName, string ContentType, int SizeBytes, string Sha256, string RecordedBy,
    DateTimeOffset RecordedAt, IReadOnlyList<Guid> Acknowledged, IReadOnlyList<Guid> AlreadyAcknowledged);

