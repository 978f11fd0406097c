using Trust.Platform.Training.Model;

namespace Trust.Platform.Training.Features.Acknowledgements;

/// <summary>The person acknowledges having read and understood one published version of the school's policy.</summary>
/// <param name="PolicyVersionId">A version of this school's policy as published (see the training policy's <c>policyVersionId</c>).</param>
public sealed record AcknowledgementRequest(Guid PolicyVersionId);

public sealed record AcknowledgementResponse(Guid Id, Guid PersonId, Guid PolicyVersionId, string Version, DateTimeOffset AcknowledgedAt)
{
    public static AcknowledgementResponse From(Acknowledgement a) => new(a.Id, a.PersonId, a.PolicyVersionId, a.Version, a.AcknowledgedAt);
}

