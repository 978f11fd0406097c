using System.Text.Json;
using FastEndpoints;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Hosting.Endpoints;
using Trust.Platform.Hosting.Http;
using Trust.Platform.Hosting.Time;
using Trust.Platform.Training.Domain.Roster;
using Trust.Platform.Training.Infrastructure;
using Trust.Platform.Training.Model;

namespace Trust.Platform.Training.Features.Roster.Sync;

/// <summary>The school in the route beside the payload: a JSON body is read into <see cref="Body"/>; a CSV body is read by the handler.</summary>
public sealed class SyncRosterCommand
{
    public Guid SchoolId { get; init; }

    [FromBody]
    public RosterSyncRequest? Body { get; init; }
}

/// <summary>
/// An MIS pushes up to 10,000 people as JSON or CSV. Valid rows are applied, bad rows are reported by row and field
/// (docs/adr/0130); the answer is the import's job resource, which stays readable at its Location.
/// </summary>
public sealed class SyncRoster(TrainingDbContext db, TimeProvider time) : PlatformEndpoint<SyncRosterCommand, Results<Created<RosterJobResponse>, NotFound, ProblemHttpResult>>
{
    public override void Configure()
    {
        Post("/v1/schools/{schoolId:guid}/roster/sync");
        Allow(RoleSets.SchoolLeaders, Scope.RosterWrite);
        Description(b => b.Accepts<RosterSyncRequest>("application/json", RosterCsv.ContentType).WithMetadata(new ImportBodyLimit()), clearDefaults: false);
        Document("Roster", "Sync the school's roster from its MIS",
            "Upserts up to 10,000 people (JSON, or CSV with columns mis_id, display_name, person_type, roles separated by ';', start_date, " +
            "leave_date and an optional action column where `delete` removes the person). People are matched by MIS id; MIS ids in `deletions` " +
            "leave today. Bad rows are refused one by one and reported by row and field in the job's `errors`; the valid rows are applied. " +
            "Sending the same payload again changes nothing and announces nothing. Joiners, role changes and leavers are announced to the other " +
            "services (StaffJoined, StaffRoleChanged, StaffLeft). For the school's headteacher, the trust's admins, or a key with roster:write.");
        Problems(413, 415);
        Summary(s =>
        {
            s.ExampleRequest = new RosterSyncRequest(RosterExamples.MellersESafetyTeam, []);
            s.ResponseExamples[201] = RosterExamples.Job;
        });
    }

    public override async Task<Results<Created<RosterJobResponse>, NotFound, ProblemHttpResult>> ExecuteAsync(SyncRosterCommand command, CancellationToken ct)
    {
        var school = await db.Schools.AsNoTracking().SingleOrDefaultAsync(s => s.SchoolId == command.SchoolId, ct);
        if (school is null)
        {
            return TypedResults.NotFound();
        }

        var isCsv = HttpContext.Request.ContentType?.StartsWith(RosterCsv.ContentType, StringComparison.OrdinalIgnoreCase) == true;
        var (request, problem) = isCsv ? await RosterCsv.ReadAsync(HttpContext.Request.Body, ct) : (command.Body, null);
        if (problem is not null)
        {
            return problem;
        }

        if (request is null || request.People.Count > RosterRules.MaxRows)
        {
            return ApiProblem.Invalid("people", $"At most {RosterRules.MaxRows} people per request.");
        }

        var rows = RosterRows.Parse(request);
        var now = time.GetUtcNow();
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var outcome = await RosterUpsert.ApplyAsync(db, command.SchoolId, rows.Valid, rows.Deletions, time.TodayAt(school.TimeZone), now, ct);
        var job = Job(command.SchoolId, isCsv ? RosterFormat.Csv : RosterFormat.Json, request.People.Count, rows, outcome, now);
        db.RosterJobs.Add(job);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return TypedResults.Created($"/v1/schools/{command.SchoolId}/roster/jobs/{job.Id}", RosterJobResponse.From(job));
    }

    private RosterJob Job(Guid schoolId, RosterFormat format, int total, RosterRows rows, RosterOutcome outcome, DateTimeOffset now) => new()
    {
        Id = Guid.CreateVersion7(now),
        SchoolId = schoolId,
        Status = rows.Errors.Count == 0 ? RosterJobStatus.Succeeded : RosterJobStatus.SucceededWithErrors,
        Format = format,
        Total = total,
        Processed = total,
        Joined = outcome.Joined,
        Updated = outcome.Updated,
        RoleChanged = outcome.RoleChanged,
        LeftCount = outcome.Left,
        Unchanged = outcome.Unchanged,
        Rejected = total - rows.Valid.Count,
        Errors = JsonSerializer.Serialize(rows.Errors, JsonSerializerOptions.Web),
        CreatedAt = now,
        FinishedAt = time.GetUtcNow(),
    };
}

/// <summary>
/// The payload's limits, decided before anything is read from the database. A row's own fields are not refused here:
/// a bad row is reported by row and field and the others are applied (docs/adr/0130), so these bounds only cap sizes.
/// </summary>
public sealed class SyncRosterValidator : Validator<SyncRosterCommand>
{
    public SyncRosterValidator()
    {
        RuleFor(x => x.Body!.People).NotNull().WithMessage("Required: the people to upsert (an empty list is allowed).")
            .Must(p => p.Count <= RosterRules.MaxRows).WithMessage($"At most {RosterRules.MaxRows} people per request.")
            .When(x => x.Body is not null).OverridePropertyName("people");
        RuleForEach(x => x.Body!.People).SetValidator(new RosterPersonRowLimits()).When(x => x.Body?.People is not null).OverridePropertyName("people");
        RuleFor(x => x.Body!.Deletions).Must(d => d is null || d.Count <= RosterRules.MaxRows)
            .WithMessage($"At most {RosterRules.MaxRows} deletions per request.").When(x => x.Body is not null).OverridePropertyName("deletions");
        RuleForEach(x => x.Body!.Deletions).MaximumLength(RosterPersonRowLimits.MaxMisId).When(x => x.Body?.Deletions is not null)
            .OverridePropertyName("deletions");
    }
}

/// <summary>The hard size of one row (well above the row rules, which report a too-long field on its row).</summary>
public sealed class RosterPersonRowLimits : AbstractValidator<RosterPersonRow>
{
    public const int MaxMisId = 100;
    public const int MaxText = 1000;
    public const int MaxRoles = 50;

    public RosterPersonRowLimits()
    {
        RuleFor(x => x.MisId).MaximumLength(MaxText);
        RuleFor(x => x.DisplayName).MaximumLength(MaxText);
        RuleFor(x => x.PersonType).MaximumLength(50);
        RuleFor(x => x.Roles).Must(r => r is null || r.Count <= MaxRoles).WithMessage($"At most {MaxRoles} roles.");
        RuleForEach(x => x.Roles).MaximumLength(100);
        RuleFor(x => x.StartDate).MaximumLength(50);
        RuleFor(x => x.LeaveDate).MaximumLength(50);
    }
}
