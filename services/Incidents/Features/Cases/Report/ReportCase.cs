using System.Globalization;
using Trust.Platform.Hosting.Endpoints;
using FastEndpoints;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Trust.Platform.Contracts;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Hosting.Caching;
using Trust.Platform.Hosting.Http;
using Trust.Platform.Incidents.Domain;
using Trust.Platform.Incidents.Domain.Cases;
using Trust.Platform.Incidents.Features.Roster;
using Trust.Platform.Incidents.Features.SchoolPolicies;
using Trust.Platform.Incidents.Infrastructure;
using Trust.Platform.Incidents.Model;
using Trust.Platform.Messaging.Outbox;

namespace Trust.Platform.Incidents.Features.Cases.Report;

public sealed class ReportCaseCommand
{
    public Guid SchoolId { get; init; }

    [FromBody]
    public ReportCaseRequest Body { get; init; } = null!;
}

/// <summary>Files a report; the answer is the receipt, which is all a reporter ever sees of it.</summary>
public sealed class ReportCase(IncidentsDbContext db, TenantReadCache<EffectivePolicy> policies, TimeProvider time)
    : PlatformEndpoint<ReportCaseCommand, Results<Created<CaseReceipt>, NotFound, ProblemHttpResult>>
{
    /// <summary>A whistle-blowing or grievance report needs an escalation contact the school's policy names (001 l.98-102).</summary>
    public const string EscalationContactRule = "incidents.escalation_contact_required";

    public override void Configure()
    {
        Post("/v1/schools/{schoolId:guid}/cases");
        Allow(RoleSets.SchoolStaff, Scope.IncidentsWrite);
        Document("Cases", "Report an incident",
            "Any member of a school's staff, or an integration with incidents:write, reports one of the social-media incidents the seed policies name " +
            "(`type`, with exactly that type's details object). The case is routed by the school's published policy: a concern about the headteacher goes " +
            "to the chair (002 l.225), pupils' cyberbullying and other safeguarding matters to the DSL (restricted); a comment, query or complaint on a " +
            "school account starts the response SLA at `receivedAt` (Mellers Primary: within 24 hours, 003 l.91). Whistle-blowing and grievance " +
            "(001 l.98-102) go to the school's escalation contacts (setting escalation.contacts, by staff id) and only they may see them, never the " +
            "person they are about; a school whose policy names no such contact refuses them (422, rule incidents.escalation_contact_required). The answer is the receipt, all the " +
            "reporter ever sees of the case. With an Idempotency-Key, a retry returns the first receipt; the same key with another body is a 422.");
        Problems(409, 422);
        Idempotent("Send one per report: a retry with it returns the receipt of the case filed the first time.");
        Summary(s =>
        {
            // The example is written as the wire shows it (snake_case enums): the document's serializer does not know the API's enum names.
            s.ExampleRequest = new
            {
                type = "cyberbullying",
                summary = "A pupil was sent threatening messages about another pupil on a class group chat; screen prints saved with time and date (003 l.121-123).",
                subject = new { kind = "pupil", misId = "A1234567" },
                cyberbullying = new { victim = "pupil", perpetrator = "pupil", incidentAt = "2026-03-09T16:20:00+00:00", platform = "WhatsApp" },
            };
            s.ResponseExamples[201] = ContractExample.Of(new CaseReceipt(
                Guid.Parse("0195a3c2-7f00-7000-8000-000000000001"), CaseType.Cyberbullying, CaseStatus.Open, DateTimeOffset.Parse("2026-03-10T08:45:00+00:00", CultureInfo.InvariantCulture)));
        });
    }

    public override async Task<Results<Created<CaseReceipt>, NotFound, ProblemHttpResult>> ExecuteAsync(ReportCaseCommand command, CancellationToken ct)
    {
        if (!Caller.CanActForSchool(command.SchoolId, [.. RoleSets.SchoolStaff]))
        {
            return TypedResults.NotFound();
        }

        // One connection (and one tenant setting) for the reads and the commit of this request.
        await db.Database.OpenConnectionAsync(ct);
        if (await SchoolPolicyView.FindAsync(db, policies, command.SchoolId, ct) is not { } policy)
        {
            return TypedResults.NotFound();
        }

        var report = command.Body.ToReport();
        var aboutHead = report.SubjectKind == SubjectKind.Staff &&
            await RosterQueries.IsAboutHeadteacherAsync(db, command.SchoolId, command.Body.Subject?.RosterId, command.Body.Subject?.IsHeadteacher, policy.Routing, ct);
        var now = time.GetUtcNow();
        var reporter = new Reporter(Caller.IsApiKey ? "" : Caller.Subject, Caller.ApiKeyId);
        var outcome = CaseIntake.Open(db.Tenant.TrustId!.Value, command.SchoolId, report, aboutHead, new IntakePolicy(policy.Routing, policy.Sla, policy.Calendar), reporter, now);
        if (outcome is IntakeOutcome.NoEscalationContact)
        {
            return ApiProblem.RuleRefused(EscalationContactRule, "The school names no escalation contact for this report",
                new FieldErrors().Add("type", "Whistle-blowing and grievance go to the school's escalation contacts (escalation.contacts, with a staff id), " +
                    "and the published policy names none who is not the person it is about; ask the trust to name one."));
        }

        if (outcome is not IntakeOutcome.Opened { Case: var c })
        {
            return ApiProblem.Invalid("subject.dateOfBirth", "Only for a pupil in a child-protection (restricted) case.");
        }

        Record(c, policy.Source, now);
        await CaseNotices.AddAsync(db, c, CaseNotice.Reported, null, null, now, ct);
        db.Database.AutoTransactionBehavior = AutoTransactionBehavior.Never;
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/v1/cases/{c.Id}", CaseMapping.Receipt(c));
    }

    /// <summary>The new case, its first timeline entry and IncidentReported, to be saved together.</summary>
    private void Record(IncidentCase c, string policySource, DateTimeOffset now)
    {
        db.Cases.Add(c);
        CaseAccess.Append(db, c, "reported", new { type = c.CaseType, assignedRole = c.AssignedRole, restricted = c.Restricted, dueAt = c.DueAt, policy = policySource },
            Caller.Actor, Caller.RoleAt(c.SchoolId), now);
        // Restricted cases carry no detail beyond their type on the wire (contract).
        db.AddEvent(new IncidentReported(Guid.CreateVersion7(now), c.TrustId, c.SchoolId, now, c.Id, c.CaseType, c.Restricted), c.Id.ToString(), now);
    }
}
