using System.Globalization;
using CsvHelper;
using CsvHelper.Configuration;
using Microsoft.AspNetCore.Http.HttpResults;
using Trust.Platform.Hosting.Http;

namespace Trust.Platform.Training.Features.Roster.Sync;

/// <summary>
/// The CSV form of a roster sync. Columns: mis_id, display_name, person_type, roles (separated by ';'), start_date,
/// leave_date, and an optional <c>action</c> column where <c>delete</c> removes the person (they leave today).
/// </summary>
public static class RosterCsv
{
    public const string ContentType = "text/csv";

    private static readonly string[] RequiredColumns = ["mis_id", "display_name", "person_type", "roles", "start_date"];

    /// <summary>The payload, or a 400 naming the missing header or column; stops reading one row past the limit (the caller refuses it).</summary>
    public static async Task<(RosterSyncRequest? Request, ProblemHttpResult? Problem)> ReadAsync(Stream body, CancellationToken cancellationToken)
    {
        using var text = new StreamReader(body);
        using var csv = new CsvReader(text, new CsvConfiguration(CultureInfo.InvariantCulture) { TrimOptions = TrimOptions.Trim, MissingFieldFound = null, BadDataFound = null });
        if (!await csv.ReadAsync() || !csv.ReadHeader())
        {
            return (null, ApiProblem.Invalid("body", "A CSV with a header row is required."));
        }

        var header = csv.HeaderRecord ?? [];
        if (RequiredColumns.FirstOrDefault(c => !header.Contains(c, StringComparer.Ordinal)) is { } missing)
        {
            return (null, ApiProblem.Invalid(missing, "This CSV column is required."));
        }

        return (await ReadRowsAsync(csv, header, cancellationToken), null);
    }

    private static async Task<RosterSyncRequest> ReadRowsAsync(CsvReader csv, string[] header, CancellationToken cancellationToken)
    {
        var hasLeave = header.Contains("leave_date", StringComparer.Ordinal);
        var hasAction = header.Contains("action", StringComparer.Ordinal);
        var people = new List<RosterPersonRow>();
        var deletions = new List<string>();
        while (await csv.ReadAsync() && people.Count <= RosterRules.MaxRows)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (hasAction && string.Equals(csv.GetField("action"), "delete", StringComparison.OrdinalIgnoreCase))
            {
                deletions.Add(csv.GetField("mis_id") ?? "");
                continue;
            }

            people.Add(new RosterPersonRow(
                csv.GetField("mis_id"),
                csv.GetField("display_name"),
                csv.GetField("person_type"),
                (csv.GetField("roles") ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
                csv.GetField("start_date"),
                hasLeave ? csv.GetField("leave_date") : null));
        }

        return new RosterSyncRequest(people, deletions);
    }
}
