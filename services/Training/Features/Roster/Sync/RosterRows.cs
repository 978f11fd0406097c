namespace Trust.Platform.Training.Features.Roster.Sync;

/// <summary>
/// The parse-and-validate step of a sync: each row checked by <see cref="RosterRules.Validate"/>, a repeated MIS id refused
/// on its later row, deletions trimmed and distinct. Pure: nothing here reads the database.
/// </summary>
public sealed record RosterRows(IReadOnlyList<ValidRosterRow> Valid, IReadOnlyList<RowError> Errors, IReadOnlyList<string> Deletions)
{
    public static RosterRows Parse(RosterSyncRequest request)
    {
        var deletions = (request.Deletions ?? []).Select(d => d.Trim()).Where(d => d.Length > 0).Distinct(StringComparer.Ordinal).ToList();
        var errors = new List<RowError>();
        var valid = new List<ValidRosterRow>(request.People.Count);
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < request.People.Count; i++)
        {
            var row = RosterRules.Validate(i + 1, request.People[i], errors);
            if (row is null)
            {
                continue;
            }

            if (!seen.TryAdd(row.MisId, row.Row))
            {
                errors.Add(new RowError(row.Row, "misId", $"Duplicate of row {seen[row.MisId]}."));
                continue;
            }

            valid.Add(row);
        }

        return new RosterRows(valid, errors, deletions);
    }
}
