using System.Globalization;
using FastEndpoints;
using FluentValidation;
using Trust.Platform.Incidents.Domain;

namespace Trust.Platform.Incidents.Features.Statistics;

/// <summary>
/// The figures for one group of cases. <c>cases</c> counts every case, restricted ones included; every other figure
/// describes only the unrestricted ones (the SLA clock stops when a case is closed, as the overdue sweep has it).
/// </summary>
public sealed record CaseFigures(int Cases, int Restricted, int SlaDue, int SlaMet, double? SlaMetShare, int Closed, double? MedianHoursToClose);

/// <summary>The unrestricted cases of one type: a restricted case is never counted under its type.</summary>
public sealed record CaseTypeFigures(CaseType Type, int Cases, int SlaDue, int SlaMet, double? SlaMetShare, int Closed, double? MedianHoursToClose);

/// <summary>The cases received in one calendar month at the school (<c>yyyy-MM</c>).</summary>
public sealed record CaseMonthFigures(string Month, int Cases, int Restricted, int SlaDue, int SlaMet, double? SlaMetShare, int Closed, double? MedianHoursToClose);

public sealed record CaseSchoolFigures(Guid SchoolId, int Cases, int Restricted, int SlaDue, int SlaMet, double? SlaMetShare, int Closed, double? MedianHoursToClose);

/// <summary>Case statistics over whole months at the school, <c>from</c> to <c>to</c> inclusive.</summary>
public sealed record CaseStatistics(
    string From, string To, Guid? SchoolId, CaseFigures Totals,
    IReadOnlyList<CaseTypeFigures> ByType, IReadOnlyList<CaseMonthFigures> ByMonth, IReadOnlyList<CaseSchoolFigures> BySchool);

/// <summary>The months of a statistics query: <c>from</c> and <c>to</c>, <c>yyyy-MM</c>, both inclusive.</summary>
public abstract class StatisticsQueryBase
{
    /// <summary>The first month (<c>yyyy-MM</c>), inclusive.</summary>
    [QueryParam]
    public string From { get; init; } = "";

    /// <summary>The last month (<c>yyyy-MM</c>), inclusive.</summary>
    [QueryParam]
    public string To { get; init; } = "";

    public static DateOnly? Month(string? text) =>
        text is { Length: 7 } && DateOnly.TryParseExact(text + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)
            && day.Year is >= 2000 and <= 2100 ? day : null;
}

/// <summary>The rules of a statistics query, declared here so the contract shows them on the parameters.</summary>
public abstract class StatisticsQueryValidator<TQuery> : Validator<TQuery>
    where TQuery : StatisticsQueryBase
{
    /// <summary>Three school years at once is the most a board compares; more is an export, not a page of figures.</summary>
    public const int MaxMonths = 36;

    protected StatisticsQueryValidator()
    {
        RuleFor(x => x.From).NotEmpty().MaximumLength(7).Must(m => StatisticsQueryBase.Month(m) is not null)
            .WithMessage("A month, yyyy-MM (2000-01 to 2100-12).");
        RuleFor(x => x.To).NotEmpty().MaximumLength(7).Must(m => StatisticsQueryBase.Month(m) is not null)
            .WithMessage("A month, yyyy-MM (2000-01 to 2100-12).");
        RuleFor(x => x.To)
            .Must((q, to) => StatisticsQueryBase.Month(q.From) is not { } f || StatisticsQueryBase.Month(to) is not { } t || f <= t)
            .WithMessage("Must be the same month as from or later.")
            .Must((q, to) => StatisticsQueryBase.Month(q.From) is not { } f || StatisticsQueryBase.Month(to) is not { } t || f.AddMonths(MaxMonths) > t)
            .WithMessage($"At most {MaxMonths} months from from.");
    }
}
