using FastEndpoints;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Hosting.Endpoints;
using Trust.Platform.Hosting.Http;
using Trust.Platform.Policy.Infrastructure;

namespace Trust.Platform.Policy.Features.People.ListAppointments;

public sealed class ListAppointmentsQuery : PageQuery
{
    public Guid SchoolId { get; init; }

    /// <summary>Include posts that have ended (by a leader or because the person left); only current and future ones otherwise.</summary>
    [QueryParam]
    public bool? IncludeEnded { get; init; }
}

public sealed class ListAppointmentsValidator : PageQueryValidator<ListAppointmentsQuery>;

public sealed class ListAppointments(PolicyDbContext db) : PlatformEndpoint<ListAppointmentsQuery, Results<Ok<Page<AppointmentResponse>>, NotFound, ProblemHttpResult>>
{
    public override void Configure()
    {
        Get("/v1/schools/{schoolId:guid}/appointments");
        Allow(RoleSets.AnyoneInSchool);
        Document("People", "List the school's posts and who holds them",
            "Who the school's headteacher, DSLs, e-safety team and other post holders are, with names and job titles (no emails), for anyone " +
            "at the school. Ordered by id, cursor-paginated; includeEnded=true adds the posts that have ended.");
    }

    public override async Task<Results<Ok<Page<AppointmentResponse>>, NotFound, ProblemHttpResult>> ExecuteAsync(ListAppointmentsQuery query, CancellationToken ct)
    {
        if (!Paging.TryReadGuid(query.Limit, query.Cursor, out var size, out var after, out var invalid))
        {
            return invalid!;
        }

        if (!await db.Schools.AnyAsync(s => s.Id == query.SchoolId, ct))
        {
            return TypedResults.NotFound();
        }

        var appointments = db.Appointments.AsNoTracking().Where(a => a.SchoolId == query.SchoolId);
        if (query.IncludeEnded != true)
        {
            appointments = appointments.Where(a => a.EndedAt == null);
        }

        return TypedResults.Ok(await Appointing.PageAsync(db, appointments, after, size, ct));
    }
}
