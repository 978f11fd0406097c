using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using NpgsqlTypes;
using Trust.Platform.Messaging.Outbox;
using Trust.Platform.Training.Domain.Completions;
using Trust.Platform.Training.Features.Roster;
using Trust.Platform.Training.Infrastructure;
using Trust.Platform.Training.Model;

namespace Trust.Platform.Training.Features.Completions.Import;

/// <summary>What an import did: the completions it added (already in the unit of work), the rows already on record, the refused rows.</summary>
public sealed record CompletionImportOutcome(IReadOnlyList<Completion> Recorded, int Unchanged, IReadOnlyList<RowError> Errors);

/// <summary>
/// Applies an import's rows. Each row is checked by the same rules as a single completion (<see cref="CompletionRequestRules"/>,
/// <see cref="CompletionRules.Refusals"/>); a bad row is reported by row and field and the others are applied (docs/adr/0130, as the
/// roster sync). The natural key of a completion is (person, course, completed date): a row whose key is already on record, by an
/// earlier import or one at a time, adds nothing, so importing the same file twice records it once.
/// </summary>
public static class CompletionImport
{
    public const int MaxRows = 10_000;

    private sealed record Parsed(int Row, CompletionImportRow Source, DateOnly CompletedOn);

    private sealed record Key(Guid PersonId, Guid CourseId, DateOnly CompletedOn);

    public static async Task<CompletionImportOutcome> ApplyAsync(TrainingDbContext db, Guid schoolId, IReadOnlyList<CompletionImportRow> rows,
        IReadOnlyList<RowError> readErrors, DateOnly today, DateTimeOffset now, CancellationToken ct)
    {
        var errors = new List<RowError>(readErrors);
        var refused = readErrors.Select(e => e.Row).ToHashSet();
        var parsed = new List<Parsed>(rows.Count);
        for (var i = 0; i < rows.Count; i++)
        {
            if (Parse(i + 1, rows[i], errors) is { } row && !refused.Contains(row.Row))
            {
                parsed.Add(row);
            }
        }

        // Two imports of the same school at once would both find a key missing and both record it: one at a time per school.
        await db.Database.ExecuteSqlAsync(
            $"SELECT pg_advisory_xact_lock(hashtextextended('training.completion_import:' || {schoolId.ToString()}, 0))", ct);
        var lookup = await LookupAsync(db, schoolId, parsed, ct);
        var resolved = ResolveAll(parsed, lookup, today, errors);
        var onRecord = await OnRecordAsync(db, [.. resolved.Select(r => new Key(r.Person, r.Course.Id, r.Row.CompletedOn))], ct);
        var events = new OutboxBatch(db.Tenant, TrainingDbContext.Schema);
        var recorded = RecordNew(db, schoolId, resolved.Where(r => !onRecord.Contains(new Key(r.Person, r.Course.Id, r.Row.CompletedOn))), events, now);
        await InsertAsync(db, recorded, ct);
        // The events as a few batched outbox rows (one COPY), in the caller's transaction like the completions.
        await events.WriteAsync((NpgsqlConnection)db.Database.GetDbConnection(), now, ct);
        return new CompletionImportOutcome(recorded, resolved.Count - recorded.Count, errors.OrderBy(e => e.Row).ToList());
    }

    /// <summary>Each row's person and course; a row repeating an earlier row's natural key is refused on its own row.</summary>
    private static List<(Parsed Row, Guid Person, Course Course)> ResolveAll(IReadOnlyList<Parsed> parsed, Lookup lookup, DateOnly today, List<RowError> errors)
    {
        var resolved = new List<(Parsed Row, Guid Person, Course Course)>(parsed.Count);
        var seen = new Dictionary<Key, int>();
        foreach (var row in parsed)
        {
            if (Resolve(row, lookup, today, errors) is not { } found)
            {
                continue;
            }

            var key = new Key(found.Person, found.Course.Id, row.CompletedOn);
            if (!seen.TryAdd(key, row.Row))
            {
                errors.Add(new RowError(row.Row, "completedOn", $"Duplicate of row {seen[key]}: the same person, course and day."));
                continue;
            }

            resolved.Add((row, found.Person, found.Course));
        }

        return resolved;
    }

    /// <summary>
    /// The completions to add, built by the single completion's domain code, each with its TrainingCompleted in the school's
    /// completion stream (<see cref="CompletionRules.Stream"/>, which the single record writes to as well, so a person's
    /// completions stay in order whichever way they were recorded).
    /// </summary>
    private static List<Completion> RecordNew(TrainingDbContext db, Guid schoolId, IEnumerable<(Parsed Row, Guid Person, Course Course)> rows,
        OutboxBatch events, DateTimeOffset now)
    {
        var recorded = new List<Completion>();
        var trustId = db.Tenant.TrustId!.Value;
        foreach (var (row, person, course) in rows)
        {
            var (completion, announced) = CompletionRules.New(trustId, schoolId, person, course, row.CompletedOn, row.Source.Provider!,
                row.Source.EvidenceReference, row.Source.Score, now);
            events.Add(announced, person.ToString(), CompletionRules.Stream(schoolId));
            recorded.Add(completion);
        }

        return recorded;
    }

    /// <summary>
    /// Writes the completions in one statement, in the caller's transaction. One statement matters: the per-person summary is kept by
    /// statement-level triggers (migration 0003), which then run once for the import instead of once per row (EF sends a statement per
    /// row; 2,000 rows took 12 s that way, measured).
    /// </summary>
    private static Task InsertAsync(TrainingDbContext db, IReadOnlyList<Completion> rows, CancellationToken ct)
    {
        if (rows.Count == 0)
        {
            return Task.CompletedTask;
        }

        NpgsqlParameter Array<T>(Func<Completion, T> column, NpgsqlDbType type) =>
            new() { Value = rows.Select(column).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | type };
        return db.Database.ExecuteSqlRawAsync($"""
            INSERT INTO {TrainingDbContext.Schema}.completions
                (trust_id, id, school_id, person_id, course_id, course_code, completed_on, provider, evidence_reference, score, expires_on, created_at)
            SELECT * FROM unnest(@p0, @p1, @p2, @p3, @p4, @p5, @p6, @p7, @p8, @p9, @p10, @p11)
            """,
            [
                Named(Array(c => c.TrustId, NpgsqlDbType.Uuid), 0), Named(Array(c => c.Id, NpgsqlDbType.Uuid), 1), Named(Array(c => c.SchoolId, NpgsqlDbType.Uuid), 2),
                Named(Array(c => c.PersonId, NpgsqlDbType.Uuid), 3), Named(Array(c => c.CourseId, NpgsqlDbType.Uuid), 4),
                Named(Array(c => c.CourseCode, NpgsqlDbType.Text), 5), Named(Array(c => c.CompletedOn, NpgsqlDbType.Date), 6),
                Named(Array(c => c.Provider, NpgsqlDbType.Text), 7), Named(Array(c => c.EvidenceReference, NpgsqlDbType.Text), 8),
                Named(Array(c => c.Score, NpgsqlDbType.Numeric), 9), Named(Array(c => c.ExpiresOn, NpgsqlDbType.Date), 10),
                Named(Array(c => c.CreatedAt, NpgsqlDbType.TimestampTz), 11),
            ], ct);
    }

    private static NpgsqlParameter Named(NpgsqlParameter parameter, int index)
    {
        parameter.ParameterName = "p" + index.ToString(CultureInfo.InvariantCulture);
        return parameter;
    }

    private static readonly CompletionRequestRules RowRules = new();

    /// <summary>The row's own fields, by the single completion's rules; null when one is refused.</summary>
    private static Parsed? Parse(int row, CompletionImportRow source, List<RowError> errors)
    {
        var before = errors.Count;
        if (string.IsNullOrWhiteSpace(source.MisId) == string.IsNullOrWhiteSpace(source.PersonId))
        {
            errors.Add(new RowError(row, "misId", "Exactly one of misId or personId is required."));
        }
        else if (source.PersonId is { } personId && !Guid.TryParse(personId.Trim(), out _))
        {
            errors.Add(new RowError(row, "personId", "Not a person id."));
        }

        if (string.IsNullOrWhiteSpace(source.CourseCode) == string.IsNullOrWhiteSpace(source.CourseId))
        {
            errors.Add(new RowError(row, "courseCode", "Exactly one of courseCode or courseId is required."));
        }
        else if (source.CourseId is { } courseId && !Guid.TryParse(courseId.Trim(), out _))
        {
            errors.Add(new RowError(row, "courseId", "Not a course id."));
        }

        var completedOn = default(DateOnly);
        if (string.IsNullOrWhiteSpace(source.CompletedOn) ||
            !DateOnly.TryParseExact(source.CompletedOn.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out completedOn))
        {
            errors.Add(new RowError(row, "completedOn", "Required: a date as yyyy-MM-dd."));
        }

        // The single completion's validator builds a context per call; a row that plainly passes its rules does not need one, and
        // a row that may not gets the validator's own messages and field names.
        if (!PlainlyValid(source))
        {
            var rules = RowRules.Validate(new CompletionRequest(Guid.Empty, completedOn, source.Provider ?? "", source.EvidenceReference, source.Score));
            errors.AddRange(rules.Errors.Select(e => new RowError(row, char.ToLowerInvariant(e.PropertyName[0]) + e.PropertyName[1..], e.ErrorMessage)));
        }

        return errors.Count == before ? new Parsed(row, source, completedOn) : null;
    }

    /// <summary>Within every rule of <see cref="CompletionRequestRules"/>, by its own bounds.</summary>
    private static bool PlainlyValid(CompletionImportRow source) =>
        !string.IsNullOrWhiteSpace(source.Provider) && source.Provider.Length <= CompletionRequestRules.ProviderMaxLength
        && (source.EvidenceReference is null || source.EvidenceReference.Length <= CompletionRequestRules.EvidenceReferenceMaxLength)
        && source.Score is null or (>= CompletionRequestRules.MinScore and <= CompletionRequestRules.MaxScore);

    private static (Guid Person, Course Course)? Resolve(Parsed row, Lookup lookup, DateOnly today, List<RowError> errors)
    {
        var before = errors.Count;
        var source = row.Source;
        Guid? person = source.MisId is { } misId
            ? lookup.PeopleByMisId.TryGetValue(misId.Trim(), out var byMis) ? byMis : null
            : lookup.PeopleIds.Contains(Guid.Parse(source.PersonId!.Trim())) ? Guid.Parse(source.PersonId!.Trim()) : null;
        if (person is null)
        {
            errors.Add(new RowError(row.Row, source.MisId is null ? "personId" : "misId", "Not a person on this school's roster."));
        }

        var course = source.CourseCode is { } code
            ? lookup.CoursesByCode.GetValueOrDefault(code.Trim())
            : lookup.CoursesById.GetValueOrDefault(Guid.Parse(source.CourseId!.Trim()));
        foreach (var (field, reason) in CompletionRules.Refusals(row.CompletedOn, course, today))
        {
            errors.Add(new RowError(row.Row, field == "courseId" && source.CourseCode is not null ? "courseCode" : field, reason));
        }

        return errors.Count == before ? (person!.Value, course!) : null;
    }

    private sealed record Lookup(Dictionary<string, Guid> PeopleByMisId, HashSet<Guid> PeopleIds, Dictionary<string, Course> CoursesByCode,
        Dictionary<Guid, Course> CoursesById);

    /// <summary>
    /// The school's people the rows name, by MIS id or id (leavers included: a completion before leaving is still a record), and
    /// the trust's course catalogue.
    /// </summary>
    private static async Task<Lookup> LookupAsync(TrainingDbContext db, Guid schoolId, IReadOnlyList<Parsed> rows, CancellationToken ct)
    {
        var misIds = rows.Where(r => r.Source.MisId is not null).Select(r => r.Source.MisId!.Trim()).Distinct().ToArray();
        var ids = rows.Where(r => r.Source.PersonId is not null).Select(r => Guid.Parse(r.Source.PersonId!.Trim())).Distinct().ToArray();
        var found = await db.People.AsNoTracking()
            .Where(p => p.SchoolId == schoolId && (misIds.Contains(p.MisId!) || ids.Contains(p.Id)))
            .Select(p => new { p.Id, p.MisId }).ToListAsync(ct);
        var courses = await db.Courses.AsNoTracking().ToListAsync(ct);
        return new Lookup(
            found.Where(p => p.MisId is not null).ToDictionary(p => p.MisId!, p => p.Id, StringComparer.Ordinal), found.Select(p => p.Id).ToHashSet(),
            courses.ToDictionary(c => c.Code, StringComparer.Ordinal), courses.ToDictionary(c => c.Id));
    }

    /// <summary>Which of the rows' natural keys are on record already: only those keys are read, never a person's other completions.</summary>
    private static async Task<HashSet<Key>> OnRecordAsync(TrainingDbContext db, IReadOnlyList<Key> keys, CancellationToken ct)
    {
        var found = new HashSet<Key>();
        if (keys.Count == 0)
        {
            return found;
        }

        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
        command.CommandText = $"""
            SELECT c.person_id, c.course_id, c.completed_on
            FROM unnest(@people, @courses, @days) AS k(person_id, course_id, completed_on)
            JOIN {TrainingDbContext.Schema}.completions c
              ON c.trust_id = @trust AND c.person_id = k.person_id AND c.course_id = k.course_id AND c.completed_on = k.completed_on
            """;
        command.Parameters.Add(new NpgsqlParameter("people", NpgsqlDbType.Array | NpgsqlDbType.Uuid) { Value = keys.Select(k => k.PersonId).ToArray() });
        command.Parameters.Add(new NpgsqlParameter("courses", NpgsqlDbType.Array | NpgsqlDbType.Uuid) { Value = keys.Select(k => k.CourseId).ToArray() });
        command.Parameters.Add(new NpgsqlParameter("days", NpgsqlDbType.Array | NpgsqlDbType.Date) { Value = keys.Select(k => k.CompletedOn).ToArray() });
        command.Parameters.Add(new NpgsqlParameter("trust", NpgsqlDbType.Uuid) { Value = db.Tenant.TrustId!.Value });
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            found.Add(new Key(reader.GetGuid(0), reader.GetGuid(1), reader.GetFieldValue<DateOnly>(2)));
        }

        return found;
    }
}
