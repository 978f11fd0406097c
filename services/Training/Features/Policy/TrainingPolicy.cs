// EnumMember names are what the contract's examples are written with (NSwag serialises them); the API writes the same
// snake_case names through its enum converter.
using System.Runtime.Serialization;
using Trust.Platform.Contracts;
using Trust.Platform.Hosting.Policy;
using Trust.Platform.Training.Infrastructure;

namespace Trust.Platform.Training.Features.Policy;

/// <summary>Where a school's training settings come from: its latest published policy, or the catalogue defaults until one arrives.</summary>
public enum TrainingPolicySource
{
    [EnumMember(Value = "defaults")]
    Defaults,
    [EnumMember(Value = "policy")]
    Policy,
}

/// <summary>A school's effective training settings: from its latest PolicyPublished, or the catalogue defaults until one arrives.</summary>
/// <param name="InductionWindowDays">Days a new starter has for induction, and the window for every other raised requirement.</param>
/// <param name="RefresherCadence">termly or annual (policy 002: "termly refreshers").</param>
public sealed record TrainingPolicyResponse(
    Guid SchoolId,
    TrainingPolicySource Source,
    Guid? PolicyVersionId,
    string? Version,
    int InductionWindowDays,
    string RefresherCadence,
    string PupilEducationCadence,
    string ParentSessionCadence,
    bool RefresherAfterSignificantIncident,
    IReadOnlyList<Term> Terms);

public static class TrainingPolicy
{
    public static async Task<TrainingPolicyResponse> ForSchoolAsync(TrainingDbContext db, Guid schoolId, CancellationToken cancellationToken) =>
        From(schoolId, await PolicyViews.FindAsync(db, schoolId, cancellationToken));

    public static TrainingPolicyResponse From(Guid schoolId, PolicyPublished? published)
    {
        if (published is null)
        {
            var d = PolicyDefaults.Training;
            return new(schoolId, TrainingPolicySource.Defaults, null, null, d.InductionWindowDays, d.RefresherCadence, d.PupilEducationCadence,
                d.ParentSessionCadence, d.RefresherAfterSignificantIncident, []);
        }

        var t = published.Training;
        return new(schoolId, TrainingPolicySource.Policy, published.PolicyVersionId, published.Version, t.InductionWindowDays, t.RefresherCadence,
            t.PupilEducationCadence, t.ParentSessionCadence, t.RefresherAfterSignificantIncident, published.Calendar.Terms);
    }
}
