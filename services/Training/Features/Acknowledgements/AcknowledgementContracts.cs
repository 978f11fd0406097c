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
public sealed record AcknowledgementResponse(Guid Id, Guid PersonId, Guid PolicyVersionId, string Version, DateTimeOffset AcknowledgedAt, IReadOnlyList<string> Statements)
{
    public static AcknowledgementResponse From(Acknowledgement a) => new(a.Id, a.PersonId, a.PolicyVersionId, a.Version, a.AcknowledgedAt, a.Statements);
}

