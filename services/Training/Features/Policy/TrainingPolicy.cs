using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Trust.Platform.Contracts;
using Trust.Platform.Training.Infrastructure;
using Trust.Platform.Training.Model;

namespace Trust.Platform.Training.Features.Policy;

/// <summary>A school's effective training settings: from its latest PolicyPublished, or the catalogue defaults until one arrives.</summary>
public sealed record TrainingPolicyResponse(
    Guid SchoolId,
    string Source,
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
    public static async Task<TrainingPolicyResponse> ForSchoolAsync(TrainingDbContext db, Guid schoolId, CancellationToken cancellationToken)
    {
        var view = await db.PolicyViews.AsNoTracking().SingleOrDefaultAsync(v => v.SchoolId == schoolId, cancellationToken);
        return From(schoolId, view);
    }

    public static TrainingPolicyResponse From(Guid schoolId, PolicyView? view)
    {
        if (view is null)
        {
            var d = PolicyDefaults.Training;
            return new(schoolId, "defaults", null, null, d.InductionWindowDays, d.RefresherCadence, d.PupilEducationCadence, d.ParentSessionCadence,
                d.RefresherAfterSignificantIncident, []);
        }

        return new(schoolId, "policy", view.PolicyVersionId, view.Version, view.InductionWindowDays, view.RefresherCadence, view.PupilEducationCadence,
            view.ParentSessionCadence, view.RefresherAfterSignificantIncident, ReadTerms(view.Terms));
    }

    public static IReadOnlyList<Term> ReadTerms(string json) => JsonSerializer.Deserialize<List<Term>>(json, JsonSerializerOptions.Web) ?? [];

    public static string WriteTerms(IReadOnlyList<Term> terms) => JsonSerializer.Serialize(terms, JsonSerializerOptions.Web);
}
