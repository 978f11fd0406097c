using Trust.Platform.Hosting.Endpoints;
using FastEndpoints;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Incidents.Infrastructure;

namespace Trust.Platform.Incidents.Features.Cases.AddNote;

public sealed record AddNoteRequest(string Text);

public sealed class AddNoteCommand : CaseRoute
{
    [FromBody]
    public AddNoteRequest Body { get; init; } = null!;
}

public sealed class AddNoteValidator : Validator<AddNoteCommand>
{
    public AddNoteValidator() => RuleFor(x => x.Body.Text).NotEmpty().WithMessage("Required.").MaximumLength(4000);
}

public sealed class AddNote(IncidentsDbContext db, TimeProvider time) : PlatformEndpoint<AddNoteCommand, Results<Created<TimelineEntryResponse>, NotFound>>
{
    public override void Configure()
    {
        Post("/v1/cases/{id:guid}/notes");
        Allow(RoleSets.AnyoneInSchool);
        Document("Cases", "Add a note to a case", "Appends a note to the case's timeline, for those who may read the whole case.");
    }

    public override async Task<Results<Created<TimelineEntryResponse>, NotFound>> ExecuteAsync(AddNoteCommand command, CancellationToken ct)
    {
        var c = await CaseAccess.LoadFullAsync(db, Caller, command.Id, "note", time, ct);
        if (c is null)
        {
            return TypedResults.NotFound();
        }

        var entry = CaseAccess.Append(db, c, "note", new { text = command.Body.Text.Trim() }, Caller.Actor, CaseAccess.RoleOf(Caller, c), time.GetUtcNow());
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/v1/cases/{c.Id}/timeline", TimelineEntryResponse.From(entry));
    }
}
