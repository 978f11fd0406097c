using Trust.Platform.Contracts;

namespace Trust.Platform.Training.Domain.Sessions;

/// <summary>The stretch of time a school's pupil or parent sessions are judged over, under its cadence.</summary>
public sealed record SessionPeriod(string Name, DateOnly Start, DateOnly End);

/// <summary>
/// 002 l.259-261: pupils are taught "on a termly basis", parents are invited "on a regular basis"; the school's cadence
/// for each (settings <c>training.pupil_education</c>, <c>training.parent_sessions</c>: termly or annual) decides the
/// period one session must fall in.
/// <list type="bullet">
/// <item>termly: the trust's term (<c>calendar.terms</c>) that <c>asOf</c> falls in; between terms the term just ended,
///   so a holiday does not undo a term's session;</item>
/// <item>annual, or termly before any published term has begun: the twelve months to <c>asOf</c>, as the staff
///   refresher's annual cadence counts.</item>
/// </list>
/// </summary>
public static class SessionCadence
{
    public const string Termly = "termly";

    public const string Annual = "annual";

    public static SessionPeriod PeriodOf(string cadence, IReadOnlyList<Term> terms, DateOnly asOf)
    {
        if (cadence == Termly && terms.Where(t => t.Start <= asOf).MaxBy(t => t.Start) is { } term)
        {
            return new SessionPeriod(term.Name, term.Start, term.End);
        }

        return new SessionPeriod("The twelve months to " + asOf.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            asOf.AddMonths(-12).AddDays(1), asOf);
    }

    /// <summary>The sessions held in the period up to <paramref name="asOf"/> (one recorded for a later day does not count yet).</summary>
    public static int HeldIn(SessionPeriod period, IEnumerable<DateOnly> heldOn, DateOnly asOf) =>
        heldOn.Count(d => d >= period.Start && d <= period.End && d <= asOf);
}
