using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Trust.Platform.Contracts;
using Trust.Platform.Messaging.Inbox;
using Trust.Platform.Policy.Infrastructure;

namespace Trust.Platform.Policy.Webhooks;

/// <summary>
/// The events a subscription may choose, by their public name, and the body each is sent as:
/// <c>{"id","type","occurredAt","trustId","schoolId","data":{...}}</c>. A restricted (safeguarding) case's events carry
/// no case details at all: <c>data</c> is <c>{"restricted": true}</c>, which tells a receiver that something happened at
/// the school and nothing more (an integration is never one of the people a restricted case may be shown to). Roster
/// events are not offered: they carry names, and the MIS that sent them already has them.
/// </summary>
public static class WebhookEvents
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static readonly IReadOnlyDictionary<Type, string> Names = new Dictionary<Type, string>
    {
        [typeof(PolicyPublished)] = "policy.published",
        [typeof(PolicyReviewDue)] = "policy.review_due",
        [typeof(IncidentReported)] = "incident.reported",
        [typeof(IncidentEscalated)] = "incident.escalated",
        [typeof(IncidentClosed)] = "incident.closed",
        [typeof(AccountApproved)] = "account.approved",
        [typeof(AccountHandoverRequired)] = "account.handover_required",
        [typeof(AccountClosed)] = "account.closed",
        [typeof(TrainingCompleted)] = "training.completed",
        [typeof(TrainingExpired)] = "training.expired",
        [typeof(PolicyAcknowledged)] = "policy.acknowledged",
    };

    public static IReadOnlyCollection<string> All { get; } = Names.Values.Order(StringComparer.Ordinal).ToArray();

    public static string Body(IIntegrationEvent e) => new JsonObject
    {
        ["id"] = e.EventId,
        ["type"] = Names[e.GetType()],
        ["occurredAt"] = e.OccurredAt,
        ["trustId"] = e.TrustId,
        ["schoolId"] = e is ISchoolEvent s ? s.SchoolId : null,
        ["data"] = Data(e),
    }.ToJsonString(Json);

    private static JsonObject Restricted() => new() { ["restricted"] = true };

    private static JsonObject Data(IIntegrationEvent e) => e switch
    {
        PolicyPublished p => new() { ["policyVersionId"] = p.PolicyVersionId, ["version"] = p.Version, ["isMajor"] = p.IsMajor, ["nextReviewDate"] = p.NextReviewDate?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) },
        PolicyReviewDue r => new() { ["reviewDate"] = r.ReviewDate.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), ["reminder"] = r.Reminder },
        IncidentReported { Restricted: true } => Restricted(),
        IncidentReported i => new() { ["restricted"] = false, ["caseId"] = i.CaseId, ["caseType"] = i.CaseType },
        // An escalation or closing from a publisher that does not say whether the case is restricted is treated as restricted.
        IncidentEscalated { Restricted: not false } => Restricted(),
        IncidentEscalated i => new() { ["restricted"] = false, ["caseId"] = i.CaseId, ["step"] = i.Step },
        IncidentClosed { Restricted: not false } => Restricted(),
        IncidentClosed i => new() { ["restricted"] = false, ["caseId"] = i.CaseId, ["caseType"] = i.CaseType, ["outcome"] = i.Outcome, ["significant"] = i.Significant },
        AccountApproved a => new() { ["accountId"] = a.AccountId, ["platform"] = a.Platform, ["handle"] = a.Handle },
        AccountHandoverRequired h => new() { ["accountId"] = h.AccountId, ["leavingStaffId"] = h.LeavingStaffId, ["dueOn"] = h.DueOn.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) },
        AccountClosed c => new() { ["accountId"] = c.AccountId, ["reason"] = c.Reason },
        TrainingCompleted t => new() { ["staffId"] = t.StaffId, ["courseCode"] = t.CourseCode, ["completedOn"] = t.CompletedOn.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), ["expiresOn"] = t.ExpiresOn?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) },
        TrainingExpired t => new() { ["staffId"] = t.StaffId, ["courseCode"] = t.CourseCode, ["expiredOn"] = t.ExpiredOn.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) },
        PolicyAcknowledged a => new() { ["staffId"] = a.StaffId, ["policyVersionId"] = a.PolicyVersionId, ["version"] = a.Version },
        _ => throw new ArgumentOutOfRangeException(nameof(e), e.GetType().Name, "Not a webhook event."),
    };
}

/// <summary>Turns an event into one delivery per active subscription of its trust that chose it, in the inbox's transaction.</summary>
public abstract class WebhookConsumer<TEvent>(PolicyDbContext db, TimeProvider time) : InboxConsumer<TEvent, PolicyDbContext>(db)
    where TEvent : class, IIntegrationEvent
{
    protected override async Task HandleAsync(TEvent message, CancellationToken cancellationToken)
    {
        var type = WebhookEvents.Names[typeof(TEvent)];
        var subscriptions = await Db.WebhookSubscriptions.AsNoTracking()
            .Where(s => s.DisabledAt == null && s.EventTypes.Contains(type)).Select(s => s.Id).ToListAsync(cancellationToken);
        if (subscriptions.Count == 0)
        {
            return;
        }

        var now = time.GetUtcNow();
        var body = WebhookEvents.Body(message);
        foreach (var subscription in subscriptions)
        {
            Db.WebhookDeliveries.Add(new WebhookDelivery
            {
                TrustId = message.TrustId, Id = Guid.CreateVersion7(now), SubscriptionId = subscription, EventId = message.EventId, EventType = type,
                Payload = body, CreatedAt = now, NextAttemptAt = now,
            });
        }
    }
}

public sealed class PolicyPublishedWebhook(PolicyDbContext db, TimeProvider time) : WebhookConsumer<PolicyPublished>(db, time)
{
    protected override string ConsumerName => "PolicyPublishedWebhook";
}

public sealed class PolicyReviewDueWebhook(PolicyDbContext db, TimeProvider time) : WebhookConsumer<PolicyReviewDue>(db, time)
{
    protected override string ConsumerName => "PolicyReviewDueWebhook";
}

public sealed class IncidentReportedWebhook(PolicyDbContext db, TimeProvider time) : WebhookConsumer<IncidentReported>(db, time)
{
    protected override string ConsumerName => "IncidentReportedWebhook";
}

public sealed class IncidentEscalatedWebhook(PolicyDbContext db, TimeProvider time) : WebhookConsumer<IncidentEscalated>(db, time)
{
    protected override string ConsumerName => "IncidentEscalatedWebhook";
}

public sealed class IncidentClosedWebhook(PolicyDbContext db, TimeProvider time) : WebhookConsumer<IncidentClosed>(db, time)
{
    protected override string ConsumerName => "IncidentClosedWebhook";
}

public sealed class AccountApprovedWebhook(PolicyDbContext db, TimeProvider time) : WebhookConsumer<AccountApproved>(db, time)
{
    protected override string ConsumerName => "AccountApprovedWebhook";
}

public sealed class AccountHandoverRequiredWebhook(PolicyDbContext db, TimeProvider time) : WebhookConsumer<AccountHandoverRequired>(db, time)
{
    protected override string ConsumerName => "AccountHandoverRequiredWebhook";
}

public sealed class AccountClosedWebhook(PolicyDbContext db, TimeProvider time) : WebhookConsumer<AccountClosed>(db, time)
{
    protected override string ConsumerName => "AccountClosedWebhook";
}

public sealed class TrainingCompletedWebhook(PolicyDbContext db, TimeProvider time) : WebhookConsumer<TrainingCompleted>(db, time)
{
    protected override string ConsumerName => "TrainingCompletedWebhook";
}

public sealed class TrainingExpiredWebhook(PolicyDbContext db, TimeProvider time) : WebhookConsumer<TrainingExpired>(db, time)
{
    protected override string ConsumerName => "TrainingExpiredWebhook";
}

public sealed class PolicyAcknowledgedWebhook(PolicyDbContext db, TimeProvider time) : WebhookConsumer<PolicyAcknowledged>(db, time)
{
    protected override string ConsumerName => "PolicyAcknowledgedWebhook";
}
