using System.Globalization;
using CsvHelper;
using CsvHelper.Configuration;
using Microsoft.AspNetCore.Http.HttpResults;
using Trust.Platform.Hosting.Http;

namespace Trust.Platform.Training.Features.Completions.Import;

/// <summary>
/// The CSV form of an import (RFC 4180, a header row, UTF-8). Columns: <c>mis_id</c> or <c>person_id</c> (one of them),
/// <c>course_code</c> or <c>course_id</c> (one of them), <c>completed_on</c> (yyyy-MM-dd), <c>provider</c>, and optionally
/// <c>evidence_reference</c> and <c>score</c> (0-100, a dot for decimals). Other columns are ignored.
/// </summary>
public static class CompletionImportCsv
{
    public const string ContentType = "text/csv";

    public static readonly string[] Columns = ["mis_id", "person_id", "course_code", "course_id", "completed_on", "provider", "evidence_reference", "score"];

    /// <summary>The rows, or a 400 naming the missing column; stops one row past the limit (the caller refuses it).</summary>
    public static async Task<(CompletionImportRequest? Request, List<Roster.RowError> Errors, ProblemHttpResult? Problem)> ReadAsync(
        Stream body, CancellationToken cancellationToken)
    {
        using var text = new StreamReader(body);
        using var csv = new CsvReader(text, new CsvConfiguration(CultureInfo.InvariantCulture) { TrimOptions = TrimOptions.Trim, MissingFieldFound = null, BadDataFound = null });
        if (!await csv.ReadAsync() || !csv.ReadHeader())
        {
            return (null, [], ApiProblem.Invalid("body", "A CSV with a header row is required."));
        }

        var header = (csv.HeaderRecord ?? []).ToHashSet(StringComparer.Ordinal);
        foreach (var (either, or) in new[] { ("mis_id", "person_id"), ("course_code", "course_id"), ("completed_on", "completed_on"), ("provider", "provider") })
        {
            if (!header.Contains(either) && !header.Contains(or))
            {
                return (null, [], ApiProblem.Invalid(either, either == or ? "This CSV column is required." : $"This CSV column (or {or}) is required."));
            }
        }

        string? Field(string name) => header.Contains(name) && csv.GetField(name) is { Length: > 0 } value ? value : null;
        var rows = new List<CompletionImportRow>();
        var errors = new List<Roster.RowError>();
        while (await csv.ReadAsync() && rows.Count <= CompletionImport.MaxRows)
        {
            cancellationToken.ThrowIfCancellationRequested();
            decimal? score = null;
            if (Field("score") is { } scoreText)
            {
                if (decimal.TryParse(scoreText, NumberStyles.Number, CultureInfo.InvariantCulture, out var parsed))
                {
                    score = parsed;
                }
                else
                {
                    // Reported on its row; the row still counts so that row numbers stay the file's.
                    errors.Add(new Roster.RowError(rows.Count + 1, "score", "A number between 0 and 100."));
                }
            }

            rows.Add(new CompletionImportRow(Field("mis_id"), Field("person_id"), Field("course_code"), Field("course_id"), Field("completed_on"),
                Field("provider"), Field("evidence_reference"), score));
        }

        return (new CompletionImportRequest(rows), errors, null);
    }
}
