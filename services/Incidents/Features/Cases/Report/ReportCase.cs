using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Trust.Platform.Contracts;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Hosting.Caching;
using Trust.Platform.Incidents.Domain;
using Trust.Platform.Incidents.Features.Roster;
using Trust.Platform.Incidents.Features.SchoolPolicies;
using Trust.Platform.Incidents.Infrastructure;
using Trust.Platform.Incidents.Model;
using Trust.Platform.Messaging.Outbox;

namespace Trust.Platform.Incidents.Features.Cases.Report;

public static class ReportCase
{
    public static void Map(IEndpointRouteBuilder app) =>
        app.MapPost("/v1/schools/{schoolId:guid}/cases", Handle)
            .RequireAccess(CaseAccess.Reporters, Scopes.IncidentsWrite)
            .WithTags("Cases")
            .WithName("ReportCase");

    /// <summary>Files a report; the answer is the receipt, which is all a reporter ever sees of it.</summary>
    public static async Task<Results<Created<CaseReceipt>, NotFound, ValidationProblem>> Handle(
        Guid schoolId, ReportCaseRequest request, HttpContext http, IncidentsDbContext db, TenantReadCache<EffectivePolicy> policies, TimeProvider time,
        CancellationToken cancellationToken)
    {
        var principal = http.Principal();
        if (!principal.CanActForSchool(schoolId, CaseAccess.Reporters))
        {
            return TypedResults.NotFound();
        }

        // One connection (and one tenant setting) for the reads and the commit of this request.
        await db.Database.OpenConnectionAsync(cancellationToken);
        var policy = await SchoolPolicyView.FindAsync(db, policies, schoolId, cancellationToken);
        if (policy is null)
        {
            return TypedResults.NotFound();
        }

        var now = time.GetUtcNow();
        var errors = request.Validate(now);
        var idempotencyKey = http.Request.Headers["Idempotency-Key"].ToString();
        errors.Optional("Idempotency-Key", idempotencyKey, 100);
        if (errors.Any)
        {
            return errors.ToProblem();
        }

        var reporterSubject = principal.IsApiKey ? "" : principal.Subject;
        if (idempotencyKey.Length > 0)
        {
            // A retry of a report already filed by the same reporter: the first receipt again, nothing new.
            var earlier = await db.Cases.AsNoTracking().SingleOrDefaultAsync(c => c.SchoolId == schoolId && c.IdempotencyKey == idempotencyKey &&
                c.ReporterKeyId == principal.ApiKeyId && c.ReporterSubject == reporterSubject, cancellationToken);
            if (earlier is not null)
            {
                return TypedResults.Created($"/v1/cases/{earlier.Id}", CaseMapping.Receipt(earlier));
            }
        }

        var subject = request.Subject ?? new SubjectRequest(SubjectKind.Unknown);
        // 002 l.225: a concern about the headteacher goes to the chair whether or not the reporter says so: the
        // reporter's box, the published policy's named headteacher and the school's roster each recognise it.
        var aboutHead = subject.Kind == SubjectKind.Staff &&
            (subject.IsHeadteacher == true ||
             (subject.RosterId is { } r &&
              (policy.Routing.Headteacher?.StaffId == r || await RosterQueries.IsHeadteacherAsync(db, schoolId, r, cancellationToken))));
        var route = CaseRouting.Route(request.Type, subject.Kind, aboutHead, request.Safeguarding == true, policy.Routing);
        var childProtection = CaseRouting.IsChildProtection(route.Restricted, subject.Kind);
        if (subject.DateOfBirth is not null && !childProtection)
        {
            // Data minimisation: a date of birth is kept only where retention needs it (child protection: DOB + 25 years).
            return errors.Add("subject.dateOfBirth", "Only for a pupil in a child-protection (restricted) case.").ToProblem();
        }

        // The SLA clock starts when the message reached the school's account, not when it was reported here.
        var receivedAt = request.Type == CaseType.AccountMessage ? request.AccountMessage!.ReceivedAt : now;
        var c = new IncidentCase
        {
            TrustId = db.Tenant.TrustId!.Value,
            Id = Guid.CreateVersion7(now),
            SchoolId = schoolId,
            CaseType = CaseMapping.Name(request.Type),
            Status = CaseStatus.Open,
            Restricted = route.Restricted,
            Safeguarding = request.Safeguarding == true,
            AboutHeadteacher = route.AboutHeadteacher,
            ChairInformed = route.ChairInformed,
            Summary = request.Summary.Trim(),
            SubjectKind = CaseMapping.Name(subject.Kind),
            SubjectRef = subject.Kind switch
            {
                SubjectKind.Pupil => subject.MisId!.Trim(),
                SubjectKind.Staff => subject.RosterId!.Value.ToString(),
                _ => null,
            },
            SubjectRelationship = subject.Kind == SubjectKind.Adult ? subject.Relationship?.Trim() : null,
            DateOfBirth = childProtection ? subject.DateOfBirth : null,
            Details = JsonSerializer.Serialize(request.DetailsByType()[request.Type] ?? new ConcernDetails(), CaseMapping.Json),
            AssignedRole = route.AssignedRole,
            ReporterSubject = reporterSubject,
            ReporterKeyId = principal.ApiKeyId,
            IdempotencyKey = idempotencyKey.Length > 0 ? idempotencyKey : null,
            ReceivedAt = receivedAt,
            DueAt = route.SlaApplies ? SlaClock.DueAt(receivedAt, policy.Sla.ResponseHours, SchoolCalendar.From(policy.Calendar)) : null,
            CreatedAt = now,
            Version = 0,
        };
        c.RetentionUntil = CaseRouting.RetentionUntil(request.Type, c.Restricted, subject.Kind, c.DateOfBirth, null);
        db.Cases.Add(c);
        CaseAccess.Append(db, c, "reported", new { type = c.CaseType, assignedRole = c.AssignedRole, restricted = c.Restricted, dueAt = c.DueAt, policy = policy.Source },
            CaseAccess.ActorOf(principal), CaseAccess.RoleFor(principal, schoolId), now);
        // Restricted cases carry no detail beyond their type on the wire (contract).
        db.AddEvent(new IncidentReported(Guid.CreateVersion7(now), c.TrustId, schoolId, now, c.Id, c.CaseType, c.Restricted), c.Id.ToString(), now);
        // Three rows (case, first timeline entry, outbox message) go as one batch in one round trip: without an
        // explicit transaction PostgreSQL runs a batch (one Sync) as a single implicit transaction, so they commit
        // together or not at all (TimelineAndEvidenceTests injects a failure to prove it), and BEGIN/COMMIT would cost a second trip.
        db.Database.AutoTransactionBehavior = AutoTransactionBehavior.Never;
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Created($"/v1/cases/{c.Id}", CaseMapping.Receipt(c));
    }
}
