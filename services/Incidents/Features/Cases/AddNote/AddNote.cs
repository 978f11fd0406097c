using Microsoft.AspNetCore.Http.HttpResults;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Hosting.Http;
using Trust.Platform.Incidents.Infrastructure;

namespace Trust.Platform.Incidents.Features.Cases.AddNote;

public static class AddNote
{
    public sealed record NoteRequest(string Text);

    public static void Map(IEndpointRouteBuilder app) =>
        app.MapPost("/v1/cases/{id:guid}/notes", Handle)
            .RequireAccess(CaseAccess.SchoolRoles)
            .WithTags("Cases")
            .WithName("AddCaseNote");

    public static async Task<Results<Created<TimelineEntryResponse>, NotFound, ValidationProblem>> Handle(
        Guid id, NoteRequest request, HttpContext http, IncidentsDbContext db, TimeProvider time, CancellationToken cancellationToken)
    {
        var principal = http.Principal();
        var c = await CaseAccess.LoadFullAsync(db, principal, id, "note", time, cancellationToken);
        if (c is null)
        {
            return TypedResults.NotFound();
        }

        var errors = new FieldErrors().Required("text", request.Text, 4000);
        if (errors.Any)
        {
            return errors.ToProblem();
        }

        var entry = CaseAccess.Append(db, c, "note", new { text = request.Text.Trim() }, CaseAccess.ActorOf(principal), CaseAccess.RoleOf(principal, c), time.GetUtcNow());
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Created($"/v1/cases/{c.Id}/timeline", TimelineEntryResponse.From(entry));
    }
}
