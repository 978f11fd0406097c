using System.Globalization;
using System.Text.Json;
using Trust.Platform.Training.Domain.Roster;
using Trust.Platform.Training.Model;

namespace Trust.Platform.Training.Features.Roster;

/// <summary>
/// One person as the MIS sends them. Fields are strings so that a bad value fails its own row
/// (reported by row and field) instead of the whole payload (docs/adr/0130-training-roster-sync.md).
/// A current member of staff has no leave date: the field may be left out, as a generated client leaves out a null.
/// </summary>
public sealed record RosterPersonRow(
    string? MisId,
    string? DisplayName,
    string? PersonType,
    IReadOnlyList<string>? Roles,
    string? StartDate,
    string? LeaveDate = null);

/// <summary>A roster sync: up to 10,000 people to upsert and MIS ids to remove (they leave today).</summary>
public sealed record RosterSyncRequest(IReadOnlyList<RosterPersonRow> People, IReadOnlyList<string>? Deletions = null);

/// <summary>A refused row: its 1-based position in the payload (CSV: the header is not counted), the field and why.</summary>
public sealed record RowError(int Row, string Field, string Reason);

/// <summary>A roster import: its outcome, counts, and the rows it refused.</summary>
public sealed record RosterJobResponse(
    Guid Id,
    Guid SchoolId,
    RosterJobStatus Status,
    RosterFormat Format,
    int Total,
    int Processed,
    int Joined,
    int Updated,
    int RoleChanged,
    int Left,
    int Unchanged,
    int Rejected,
    IReadOnlyList<RowError> Errors,
    DateTimeOffset CreatedAt,
    DateTimeOffset? FinishedAt)
{
    public static RosterJobResponse From(RosterJob job) => new(
        job.Id, job.SchoolId, job.Status, job.Format, job.Total, job.Processed, job.Joined, job.Updated, job.RoleChanged,
        job.LeftCount, job.Unchanged, job.Rejected,
        JsonSerializer.Deserialize<List<RowError>>(job.Errors, JsonSerializerOptions.Web) ?? [], job.CreatedAt, job.FinishedAt);
}

/// <summary>A person on the school's roster as the MIS last sent them; <c>left</c> once their leave date has come.</summary>
public sealed record PersonResponse(
    Guid Id,
    Guid SchoolId,
    string? MisId,
    string DisplayName,
    string PersonType,
    IReadOnlyList<string> Roles,
    DateOnly StartDate,
    DateOnly? LeaveDate,
    bool Left,
    DateTimeOffset UpdatedAt)
{
    public static PersonResponse From(Person p) =>
        new(p.Id, p.SchoolId, p.MisId, p.DisplayName, p.PersonType, p.Roles, p.StartDate, p.LeaveDate, p.LeftAt is not null, p.UpdatedAt);
}

/// <summary>A row that passed validation, normalised (roles sorted and distinct) so that resending it compares equal.</summary>
public sealed record ValidRosterRow(int Row, string MisId, string DisplayName, string PersonType, string[] Roles, DateOnly StartDate, DateOnly? LeaveDate);

public static class RosterRules
{
    public const int MaxRows = 10_000;

    public static readonly IReadOnlySet<string> PersonTypes = new HashSet<string>(StringComparer.Ordinal) { "staff", "volunteer", "governor" };

    /// <summary>Roles the requirements and other services act on (000/003: teachers; 002: DSL, ICT, marketing officer).</summary>
    public static readonly IReadOnlySet<string> KnownRoles = new HashSet<string>(StringComparer.Ordinal)
    {
        "teacher", "teaching_assistant", "support_staff", "dsl", "deputy_dsl", "ict_technician", "network_manager", "marketing_officer",
        "headteacher", "senior_leader", "e_safety_lead", "office_staff", "governor", "chair_of_governors", "trustee", "volunteer",
    };

    /// <summary>Validates one row; row numbers are 1-based positions of people in the payload (CSV: the header is not counted).</summary>
    public static ValidRosterRow? Validate(int row, RosterPersonRow person, List<RowError> errors)
    {
        var before = errors.Count;
        var misId = Text(row, "misId", person.MisId, 100, errors);
        var name = Text(row, "displayName", person.DisplayName, 200, errors);
        var type = person.PersonType?.Trim().ToLowerInvariant();
        if (type is null || !PersonTypes.Contains(type))
        {
            errors.Add(new RowError(row, "personType", "One of staff, volunteer, governor."));
        }

        var roles = (person.Roles ?? []).Select(r => r.Trim().ToLowerInvariant()).Where(r => r.Length > 0).Distinct().Order(StringComparer.Ordinal).ToArray();
        var unknown = roles.FirstOrDefault(r => !KnownRoles.Contains(r));
        if (unknown is not null)
        {
            errors.Add(new RowError(row, "roles", $"'{unknown}' is not a known role."));
        }

        var (start, leave) = Dates(row, person, errors);
        return errors.Count == before ? new ValidRosterRow(row, misId!, name!, type!, roles, start, leave) : null;
    }

    /// <summary>A required text field, trimmed, at most <paramref name="maxLength"/> characters.</summary>
    private static string? Text(int row, string field, string? value, int maxLength, List<RowError> errors)
    {
        var text = value?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            errors.Add(new RowError(row, field, "Required."));
        }
        else if (text.Length > maxLength)
        {
            errors.Add(new RowError(row, field, $"At most {maxLength} characters."));
        }

        return text;
    }

    /// <summary>The start date (required) and the leave date (optional, not before the start), both yyyy-MM-dd.</summary>
    private static (DateOnly Start, DateOnly? Leave) Dates(int row, RosterPersonRow person, List<RowError> errors)
    {
        DateOnly start = default;
        if (string.IsNullOrWhiteSpace(person.StartDate))
        {
            errors.Add(new RowError(row, "startDate", "Required."));
        }
        else if (!TryDate(person.StartDate, out start))
        {
            errors.Add(new RowError(row, "startDate", "A date as yyyy-MM-dd."));
        }

        if (string.IsNullOrWhiteSpace(person.LeaveDate))
        {
            return (start, null);
        }

        if (!TryDate(person.LeaveDate, out var leave))
        {
            errors.Add(new RowError(row, "leaveDate", "A date as yyyy-MM-dd."));
            return (start, null);
        }

        if (start != default && leave < start)
        {
            errors.Add(new RowError(row, "leaveDate", "Must not be before startDate."));
        }

        return (start, leave);
    }

    private static bool TryDate(string text, out DateOnly date) =>
        DateOnly.TryParseExact(text.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date);
}
