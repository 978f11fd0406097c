using System.Globalization;
using System.Reflection;
using System.Runtime.Serialization;
using Trust.Platform.Client.Incidents.Models;
using Trust.Platform.Hosting.Time;

namespace Trust.Platform.Console.Cases;

/// <summary>How a case's codes read on a page: the contract's wire names (snake case) and the words for them.</summary>
public static class CaseText
{
    /// <summary>The contract's name of a generated enum's value (its <c>[EnumMember]</c>, as the client sends it).</summary>
    public static string Wire<T>(T value)
        where T : struct, Enum =>
        typeof(T).GetField(value.ToString())?.GetCustomAttribute<EnumMemberAttribute>()?.Value ?? value.ToString().ToLowerInvariant();

    public static T? Parse<T>(string? wire)
        where T : struct, Enum => Enum.GetValues<T>().Cast<T?>().FirstOrDefault(v => Wire(v!.Value) == wire);

    /// <summary><c>pupil_conduct_concern</c> reads "Pupil conduct concern"; the posts keep their capitals.</summary>
    public static string Words(string? wire) => wire switch
    {
        null or "" => "Not set",
        "dsl" => "DSL",
        "ict_technician" => "ICT technician",
        _ => char.ToUpper(wire[0], CultureInfo.InvariantCulture) + wire[1..].Replace('_', ' '),
    };

    public static string Words(CaseType? type) => type is { } t ? Words(Wire(t)) : "Not set";

    /// <summary>Blocked-content requests are filed in Policy (002 Appendix A), so the filters and the report form leave them out.</summary>
    public static IReadOnlyList<CaseType> ListedTypes { get; } = [.. Enum.GetValues<CaseType>().Where(t => t != CaseType.Blocked_content_request)];

    /// <summary>The escalation ladder (DESIGN.md, "Incidents"): internal, disciplinary, provider report, police.</summary>
    public static IReadOnlyList<string> EscalationSteps { get; } = ["internal", "disciplinary", "provider_report", "police"];

    /// <summary>Outcomes the seeds name (000 l.140-142, 001 l.96, 004 l.73).</summary>
    public static IReadOnlyList<string> Outcomes { get; } =
        ["resolved_internally", "content_removed", "disciplinary", "exclusion", "police_referral", "no_further_action"];

    /// <summary>An instant as the school's clocks read it (its IANA zone from the directory; UTC when unknown).</summary>
    public static string When(DateTimeOffset? at, string? timeZone) =>
        at is { } t ? Written.DateAndTime(t, timeZone) : "";
}

/// <summary>The model of <c>_FieldError</c>: the messages of one form field.</summary>
public sealed record FieldError(string Field, IReadOnlyList<(string Field, string Message)> Errors);

/// <summary>The model of <c>_CaseTable</c>.</summary>
public sealed record CaseTable(Guid SchoolId, string? TimeZone, string Caption, IReadOnlyList<Trust.Platform.Client.Incidents.Models.CaseSummary> Cases);
