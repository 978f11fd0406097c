using Trust.Platform.Contracts;
using Trust.Platform.Training.Model;

namespace Trust.Platform.Training.Domain.Acknowledgements;

/// <summary>How an acknowledgement was given.</summary>
public static class AcknowledgementMethod
{
    /// <summary>The person themself, signed in.</summary>
    public const string Self = "self";

    /// <summary>Recorded by a headteacher or an integration from a signed paper sheet, kept as evidence.</summary>
    public const string PaperSheet = "paper_sheet";
}

/// <summary>What an acknowledgement is, however it is given: the version's statements agreed, and the PolicyAcknowledged that announces it.</summary>
public static class AcknowledgementRules
{
    /// <summary>
    /// An acknowledgement of <paramref name="version"/> by <paramref name="personId"/>. A person acknowledges a version once: the caller
    /// looks for an existing one first and keeps it (their own stays their own; a sheet does not overwrite it).
    /// </summary>
    public static (Acknowledgement Acknowledgement, PolicyAcknowledged Event) New(
        Guid trustId, Guid schoolId, Guid personId, PolicyVersion version, DateTimeOffset now, string method = AcknowledgementMethod.Self,
        string? recordedBy = null, Guid? sheetId = null)
    {
        var acknowledgement = new Acknowledgement
        {
            TrustId = trustId, Id = Guid.CreateVersion7(now), SchoolId = schoolId, PersonId = personId, PolicyVersionId = version.PolicyVersionId,
            Version = version.Version, AcknowledgedAt = now, Statements = version.Statements, Method = method, RecordedBy = recordedBy, SheetId = sheetId,
        };
        var announced = new PolicyAcknowledged(Guid.CreateVersion7(now), trustId, schoolId, now, personId, version.PolicyVersionId, version.Version);
        return (acknowledgement, announced);
    }
}
