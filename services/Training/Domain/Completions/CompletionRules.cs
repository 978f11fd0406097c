using Trust.Platform.Contracts;
using Trust.Platform.Training.Model;

namespace Trust.Platform.Training.Domain.Completions;

/// <summary>What a completion is, however it arrives (one at a time or imported): the facts it needs, its expiry and its event.</summary>
public static class CompletionRules
{
    /// <summary>
    /// The outbox stream (aggregate) of a school's TrainingCompleted events: the single record and the import both write to it,
    /// so the events of one person reach consumers in the order they were recorded, however they were recorded.
    /// </summary>
    public static string Stream(Guid schoolId) => "completions:" + schoolId;

    /// <summary>The refusals only the data can decide: the day has come at the school, and the course is the trust's.</summary>
    public static IEnumerable<(string Field, string Reason)> Refusals(DateOnly completedOn, Course? course, DateOnly today)
    {
        if (completedOn > today)
        {
            yield return ("completedOn", "Must not be in the future.");
        }

        if (course is null)
        {
            yield return ("courseId", "Not a course of this trust.");
        }
    }

    /// <summary>A completion expires the course's validity after the day it was completed; without one it never does.</summary>
    public static DateOnly? ExpiresOn(Course course, DateOnly completedOn) =>
        course.ValidityMonths is { } months ? completedOn.AddMonths(months) : null;

    /// <summary>
    /// The completion and the TrainingCompleted that announces it (Accounts checks administrators are trained). The per-person
    /// summary compliance reads is kept by the database's triggers on insert, whichever path writes the row.
    /// </summary>
    public static (Completion Completion, TrainingCompleted Event) New(
        Guid trustId, Guid schoolId, Guid personId, Course course, DateOnly completedOn, string provider, string? evidenceReference, decimal? score,
        DateTimeOffset now)
    {
        var completion = new Completion
        {
            TrustId = trustId, Id = Guid.CreateVersion7(now), SchoolId = schoolId, PersonId = personId, CourseId = course.Id, CourseCode = course.Code,
            CompletedOn = completedOn, Provider = provider.Trim(), EvidenceReference = evidenceReference?.Trim(), Score = score,
            ExpiresOn = ExpiresOn(course, completedOn), CreatedAt = now,
        };
        var announced = new TrainingCompleted(Guid.CreateVersion7(now), trustId, schoolId, now, personId, course.Id, course.Code, completedOn, completion.ExpiresOn);
        return (completion, announced);
    }

    /// <summary>A completion recorded late may already have expired: the expiry sweep is woken rather than left to its next round.</summary>
    public static bool AlreadyExpired(Completion completion, DateOnly today) => completion.ExpiresOn is { } expiresOn && expiresOn < today;
}
