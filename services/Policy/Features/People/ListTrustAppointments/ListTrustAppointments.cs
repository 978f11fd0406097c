using FastEndpoints;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Hosting.Endpoints;
using Trust.Platform.Hosting.Http;
using Trust.Platform.Policy.Infrastructure;

namespace Trust.Platform.Policy.Features.People.ListTrustAppointments;

public sealed class ListTrustAppointmentsQuery : PageQuery
{
    /// <summary>Include posts that have ended; only current and future ones otherwise.</summary>
    [QueryParam]
    public bool? IncludeEnded { get; init; }
}

public sealed class ListTrustAppointmentsValidator : PageQueryValidator<ListTrustAppointmentsQuery>;

public sealed class ListTrustAppointments(PolicyDbContext db)
    : PlatformEndpoint<ListTrustAppointmentsQuery, Results<Ok<Page<AppointmentResponse>>, ProblemHttpResult>>
{
    public override void Configure()
    {
        Get("/v1/trust-appointments");
        Allow(RoleSets.TrustReaders);
        Document("People", "List the trust admins",
            "Who holds the trust admin post across the trust, for its admins, headteachers and the chair. Ordered by id, cursor-paginated.");
    }

    public override async Task<Results<Ok<Page<AppointmentResponse>>, ProblemHttpResult>> ExecuteAsync(ListTrustAppointmentsQuery query, CancellationToken ct)
    {
        if (!Paging.TryReadGuid(query.Limit, query.Cursor, out var size, out var after, out var invalid))
        {
            return invalid!;
        }

        var appointments = db.Appointments.AsNoTracking().Where(a => a.SchoolId == null);
        if (query.IncludeEnded != true)
        {
            appointments = appointments.Where(a => a.EndedAt == null);
        }

        return TypedResults.Ok(await Appointing.PageAsync(db, appointments, after, size, ct));
    }
}
