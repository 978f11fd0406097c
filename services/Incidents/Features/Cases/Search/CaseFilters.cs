using System.Linq.Expressions;
using FastEndpoints;
using FluentValidation;
using Trust.Platform.Hosting.Http;
using Trust.Platform.Hosting.Time;
using Trust.Platform.Incidents.Domain;
using Trust.Platform.Incidents.Domain.Cases;
using Trust.Platform.Incidents.Features.Cases.Reroute;
using Trust.Platform.Incidents.Model;

namespace Trust.Platform.Incidents.Features.Cases.Search;

/// <summary>
/// The filters of a case list, the same on a school's list and the trust-wide search. Dates are the school's calendar days
/// (its time zone from the directory), both ends inclusive.
/// </summary>
public abstract class CaseFilterQuery : PageQuery
{
    /// <summary>A case type (snake_case, e.g. <c>account_message</c>).</summary>
    [QueryParam]
    public string? Type { get; init; }

    /// <summary><c>open</c> or <c>closed</c>.</summary>
    [QueryParam]
    public string? Status { get; init; }

    /// <summary>Received on or after this day at the school (inclusive, the school's time zone).</summary>
    [QueryParam]
    public DateOnly? ReportedFrom { get; init; }

    /// <summary>Received on or before this day at the school (inclusive, the school's time zone).</summary>
    [QueryParam]
    public DateOnly? ReportedTo { get; init; }

    /// <summary>Who the case is about: a staff member's roster id or a pupil's MIS id, as the report gave it.</summary>
    [QueryParam]
    public string? Subject { get; init; }

    /// <summary>The role the case is routed to (<c>dsl</c>, <c>headteacher</c>, <c>chair</c>, <c>marketing_officer</c>, <c>ict_technician</c>, <c>escalation_contact</c>).</summary>
    [QueryParam]
    public string? AssignedRole { get; init; }

    /// <summary><c>true</c>: only the open cases past their response deadline; <c>false</c>: every other case.</summary>
    [QueryParam]
    public bool? Overdue { get; init; }
}

/// <summary>The rules of <see cref="CaseFilterQuery"/>, declared here so the contract shows them on the parameters.</summary>
public abstract class CaseFilterValidator<TQuery> : PageQueryValidator<TQuery>
    where TQuery : CaseFilterQuery
{
    private const string BoundsMessage = "A date (yyyy-MM-dd) between 2000-01-01 and 2100-12-31.";

    private static readonly DateOnly Earliest = new(2000, 1, 1);

    private static readonly DateOnly Latest = new(2100, 12, 31);

    private static bool WithinBounds(DateOnly? day) => day is not { } d || (d >= Earliest && d <= Latest);

    protected CaseFilterValidator()
    {
        RuleFor(x => x.Type).MaximumLength(40)
            .Must(t => t is null || CaseFilters.TypeOf(t) is not null)
            .WithMessage($"One of {string.Join(", ", CaseFilters.TypeNames)}.");
        RuleFor(x => x.Status).MaximumLength(10)
            .Must(s => s is null or "open" or "closed").WithMessage("One of open, closed.");
        RuleFor(x => x.Subject).MaximumLength(64);
        RuleFor(x => x.AssignedRole).MaximumLength(30)
            .Must(r => r is null || CaseFilters.AssignedRoles.Contains(r)).WithMessage($"One of {string.Join(", ", CaseFilters.AssignedRoles)}.");
        // Must rather than InclusiveBetween: the contract generator turns range bounds into numbers, which a date is not.
        RuleFor(x => x.ReportedFrom).Must(WithinBounds).WithMessage(BoundsMessage);
        RuleFor(x => x.ReportedTo).Must(WithinBounds).WithMessage(BoundsMessage);
        RuleFor(x => x.ReportedTo)
            .Must((q, to) => q.ReportedFrom is not { } from || to is not { } t || from <= t)
            .WithMessage("Must be on or after reportedFrom.");
    }
}

/// <summary>Applies <see cref="CaseFilterQuery"/> to a query of cases: each filter is a column the indexes of migration 0006 lead with.</summary>
public static class CaseFilters
{
    public static readonly IReadOnlyList<string> TypeNames = [.. Enum.GetValues<CaseType>().Select(CaseRouting.Name)];

    public static readonly IReadOnlyList<string> AssignedRoles = [.. RerouteCaseValidator.AssignableRoles, CaseRouting.EscalationContact];

    public static CaseType? TypeOf(string name) => Enum.GetValues<CaseType>().Where(t => CaseRouting.Name(t) == name).Select(t => (CaseType?)t).FirstOrDefault();

    /// <summary>
    /// The filtered cases. <paramref name="zones"/> gives each school's time zone (one school for a school's list, the
    /// trust's schools for the search): a day starts at midnight where the school is.
    /// </summary>
    public static IQueryable<IncidentCase> Apply(IQueryable<IncidentCase> cases, CaseFilterQuery query, IReadOnlyDictionary<Guid, string> zones)
    {
        if (query.Type is { } typeName && TypeOf(typeName) is { } type)
        {
            var stored = CaseRouting.Name(type);
            cases = cases.Where(c => c.CaseType == stored);
        }

        if (query.Status is { } statusName)
        {
            var status = CaseStatusNames.FromName(statusName);
            cases = cases.Where(c => c.Status == status);
        }

        if (query.Subject is { } subject)
        {
            // A roster id is stored in its canonical form: accept it in any case the caller writes it.
            var reference = Guid.TryParse(subject, out var roster) ? roster.ToString() : subject;
            cases = cases.Where(c => c.SubjectRef == reference);
        }

        if (query.AssignedRole is { } role)
        {
            cases = cases.Where(c => c.AssignedRole == role);
        }

        if (query.Overdue is { } overdue)
        {
            cases = overdue ? cases.Where(CaseTransitions.IsOverdue) : cases.Where(Not(CaseTransitions.IsOverdue));
        }

        return query.ReportedFrom is null && query.ReportedTo is null ? cases : cases.Where(ReceivedWithin(query.ReportedFrom, query.ReportedTo, zones));
    }

    /// <summary>
    /// Received between the start of <paramref name="from"/> and the end of <paramref name="to"/> at each school: one
    /// instant range per time zone (a trust's schools almost always share one), so each range stays an index range.
    /// </summary>
    public static Expression<Func<IncidentCase, bool>> ReceivedWithin(DateOnly? from, DateOnly? to, IReadOnlyDictionary<Guid, string> zones)
    {
        var c = Expression.Parameter(typeof(IncidentCase), "c");
        Expression? any = null;
        foreach (var group in zones.GroupBy(z => z.Value, z => z.Key))
        {
            var start = from is { } f ? StartOfDay(f, group.Key) : (DateTimeOffset?)null;
            var end = to is { } t ? StartOfDay(t.AddDays(1), group.Key) : (DateTimeOffset?)null;
            var schools = group.ToList();
            Expression<Func<IncidentCase, bool>> range = schools.Count == zones.Count
                ? x => (start == null || x.ReceivedAt >= start) && (end == null || x.ReceivedAt < end)
                : x => schools.Contains(x.SchoolId) && (start == null || x.ReceivedAt >= start) && (end == null || x.ReceivedAt < end);
            var body = new Rebind(range.Parameters[0], c).Visit(range.Body);
            any = any is null ? body : Expression.OrElse(any, body);
        }

        return Expression.Lambda<Func<IncidentCase, bool>>(any ?? Expression.Constant(false), c);
    }

    /// <summary>Midnight at the start of <paramref name="day"/> where the clocks run in <paramref name="timeZone"/> (UTC when unknown).</summary>
    public static DateTimeOffset StartOfDay(DateOnly day, string timeZone)
    {
        var local = day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified);
        return TimeZoneInfo.TryFindSystemTimeZoneById(timeZone, out var zone)
            ? new DateTimeOffset(local, PlatformClock.OffsetAt(zone, local)).ToUniversalTime()
            : new DateTimeOffset(local, TimeSpan.Zero);
    }

    private static Expression<Func<IncidentCase, bool>> Not(Expression<Func<IncidentCase, bool>> rule) =>
        Expression.Lambda<Func<IncidentCase, bool>>(Expression.Not(rule.Body), rule.Parameters);

    private sealed class Rebind(ParameterExpression from, ParameterExpression to) : ExpressionVisitor
    {
        protected override Expression VisitParameter(ParameterExpression node) => node == from ? to : node;
    }
}
