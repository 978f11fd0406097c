using System.Globalization;
using System.Text.Json;
using CsvHelper;
using CsvHelper.Configuration;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Metadata;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Hosting.Http;
using Trust.Platform.Training.Features.Common;
using Trust.Platform.Training.Infrastructure;
using Trust.Platform.Training.Model;

namespace Trust.Platform.Training.Features.Roster.Sync;

/// <summary>
/// POST /v1/schools/{schoolId}/roster/sync: an MIS pushes up to 10,000 people as JSON or CSV.
/// Valid rows are applied, bad rows are reported by row and field (docs/adr/0130); the answer is the
/// import's job resource, which stays readable at its Location.
/// </summary>
public static class SyncRoster
{
    /// <summary>10,000 people as JSON is about 2 MB; the platform's default cap is 1 MB.</summary>
    private sealed class BodyLimit : IRequestSizeLimitMetadata
    {
        public long? MaxRequestBodySize => 16 * 1024 * 1024;
    }

    public static void Map(IEndpointRouteBuilder app) =>
        app.MapPost("/v1/schools/{schoolId:guid}/roster/sync", Handle)
            .RequireAccess(TrainingAccess.Managers, Scopes.RosterWrite)
            .Accepts<RosterSyncRequest>("application/json", "text/csv")
            .WithMetadata(new BodyLimit())
            .WithTags("Roster")
            .WithName("SyncRoster");

    public static async Task<Results<Created<RosterJobResponse>, NotFound, ProblemHttpResult>> Handle(
        Guid schoolId, HttpContext http, TrainingDbContext db, TimeProvider time, CancellationToken cancellationToken)
    {
        var school = await TrainingAccess.SchoolAsync(http, db, schoolId, TrainingAccess.Managers, cancellationToken);
        if (school is null)
        {
            return TypedResults.NotFound();
        }

        var isCsv = http.Request.ContentType?.StartsWith("text/csv", StringComparison.OrdinalIgnoreCase) == true;
        RosterSyncRequest request;
        if (isCsv)
        {
            var (parsed, problem) = await ReadCsvAsync(http.Request.Body, cancellationToken);
            if (problem is not null)
            {
                return problem;
            }

            request = parsed!;
        }
        else if (http.Request.HasJsonContentType())
        {
            request = await http.Request.ReadFromJsonAsync<RosterSyncRequest>(cancellationToken)
                ?? throw new JsonException("The body is not valid JSON.");
        }
        else
        {
            return TypedResults.Problem(PlatformExceptionHandler.Validation(415, "Content-Type", "Send application/json or text/csv."));
        }

        if (request.People.Count > RosterRules.MaxRows)
        {
            return TypedResults.Problem(PlatformExceptionHandler.Validation(422, "people", $"At most {RosterRules.MaxRows} people per request."));
        }

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

        var now = time.GetUtcNow();
        var today = TrainingAccess.Today(time, school.TimeZone);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var outcome = await RosterUpsert.ApplyAsync(db, schoolId, valid, deletions, today, now, cancellationToken);
        var job = new RosterJob
        {
            Id = Guid.CreateVersion7(now),
            SchoolId = schoolId,
            Status = errors.Count == 0 ? "succeeded" : "succeeded_with_errors",
            Format = isCsv ? "csv" : "json",
            Total = request.People.Count,
            Processed = request.People.Count,
            Joined = outcome.Joined,
            Updated = outcome.Updated,
            RoleChanged = outcome.RoleChanged,
            LeftCount = outcome.Left,
            Unchanged = outcome.Unchanged,
            Rejected = request.People.Count - valid.Count,
            Errors = JsonSerializer.Serialize(errors, JsonSerializerOptions.Web),
            CreatedAt = now,
            FinishedAt = time.GetUtcNow(),
        };
        db.RosterJobs.Add(job);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return TypedResults.Created($"/v1/schools/{schoolId}/roster/jobs/{job.Id}", RosterJobResponse.From(job));
    }

    /// <summary>
    /// CSV columns: mis_id, display_name, person_type, roles (separated by ';'), start_date, leave_date, and an optional
    /// <c>action</c> column where <c>delete</c> removes the person (they leave today).
    /// </summary>
    private static async Task<(RosterSyncRequest? Request, ProblemHttpResult? Problem)> ReadCsvAsync(Stream body, CancellationToken cancellationToken)
    {
        using var text = new StreamReader(body);
        using var csv = new CsvReader(text, new CsvConfiguration(CultureInfo.InvariantCulture) { TrimOptions = TrimOptions.Trim, MissingFieldFound = null, BadDataFound = null });
        if (!await csv.ReadAsync() || !csv.ReadHeader())
        {
            return (null, TypedResults.Problem(PlatformExceptionHandler.Validation(400, "body", "A CSV with a header row is required.")));
        }

        var header = csv.HeaderRecord ?? [];
        string[] required = ["mis_id", "display_name", "person_type", "roles", "start_date"];
        var missing = required.FirstOrDefault(c => !header.Contains(c, StringComparer.Ordinal));
        if (missing is not null)
        {
            return (null, TypedResults.Problem(PlatformExceptionHandler.Validation(400, missing, "This CSV column is required.")));
        }

        var hasLeave = header.Contains("leave_date", StringComparer.Ordinal);
        var hasAction = header.Contains("action", StringComparer.Ordinal);
        var people = new List<RosterPersonRow>();
        var deletions = new List<string>();
        while (await csv.ReadAsync())
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
            if (people.Count > RosterRules.MaxRows)
            {
                break;
            }
        }

        return (new RosterSyncRequest(people, deletions), null);
    }
}
