// EnumMember names are what the contract's examples are written with (NSwag serialises them); the API writes the same
// snake_case names through its enum converter.
using System.Runtime.Serialization;

namespace Trust.Platform.Training.Domain.Requirements;

/// <summary>Where one person stands on one requirement on a given day.</summary>
public enum RequirementStatus
{
    /// <summary>Satisfied (a qualifying completion or acknowledgement).</summary>
    [EnumMember(Value = "done")]
    Done,

    /// <summary>Not yet satisfied; the due date is today or later.</summary>
    [EnumMember(Value = "due")]
    Due,

    /// <summary>Not satisfied and the due date has passed.</summary>
    [EnumMember(Value = "overdue")]
    Overdue,
}

public static class RequirementRules
{
    /// <summary>A requirement is overdue from the day after its due date (due dates are calendar days at the school).</summary>
    public static RequirementStatus StatusOf(bool satisfied, DateOnly dueOn, DateOnly asOf) =>
        satisfied ? RequirementStatus.Done : dueOn < asOf ? RequirementStatus.Overdue : RequirementStatus.Due;

    /// <summary>A raised requirement (platform training, a refresher after an incident) is due one policy window after the day it is raised.</summary>
    public static DateOnly DueOn(DateOnly raisedOn, int inductionWindowDays) => raisedOn.AddDays(inductionWindowDays);

    /// <summary>Percent of the people a requirement applies to who have done it, to one decimal; nobody to do it is 100%.</summary>
    public static decimal PercentCompliant(int done, int total) => total == 0 ? 100m : Math.Round(done * 100m / total, 1);
}
