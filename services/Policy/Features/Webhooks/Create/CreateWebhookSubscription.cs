using System.Security.Cryptography;
using FastEndpoints;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Hosting.Endpoints;
using Trust.Platform.Hosting.Http;
using Trust.Platform.Policy.Infrastructure;
using Trust.Platform.Policy.Webhooks;

namespace Trust.Platform.Policy.Features.Webhooks.Create;

/// <summary>An endpoint of the trust's to send events to.</summary>
/// <param name="Url">An https:// URL on a public host; the platform never follows a redirect from it.</param>
/// <param name="EventTypes">The events to send (see the operation's description for the list).</param>
/// <param name="Description">What receives them, for the people who read the list later.</param>
public sealed record CreateWebhookSubscriptionRequest(string Url, IReadOnlyList<string> EventTypes, string? Description = null);

/// <summary>The subscription, and the secret its deliveries are signed with.</summary>
/// <param name="Secret">
/// The signing secret (<c>whsec_...</c>), in this answer and nowhere else. Null when the answer replays an earlier request
/// with the same Idempotency-Key; if that answer was lost, delete the subscription and create another.
/// </param>
public sealed record CreatedWebhookSubscriptionResponse(WebhookSubscriptionResponse Subscription, string? Secret) : IReplayedAs
{
    public object Replay() => this with { Secret = null };
}

public sealed class CreateWebhookSubscriptionCommand
{
    [FromBody]
    public CreateWebhookSubscriptionRequest Body { get; init; } = null!;
}

public sealed class CreateWebhookSubscription(PolicyDbContext db, WebhookKey key, TimeProvider time)
    : PlatformEndpoint<CreateWebhookSubscriptionCommand, Results<Created<CreatedWebhookSubscriptionResponse>, ProblemHttpResult>>
{
    public override void Configure()
    {
        Post("/v1/webhooks");
        AllowTrustWide(RoleSets.TrustAdmins);
        Document("Webhooks", "Subscribe an endpoint to events",
            "Trust admins only. Each event of the trust of a chosen type is POSTed to the URL as JSON, signed: the header " +
            "`Trust-Platform-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256>` is computed over `<t>.<body>` with the secret in this answer " +
            "(shown once; Cache-Control: no-store). Check it, refuse timestamps older than 5 minutes, and de-duplicate on " +
            "`Trust-Platform-Event-Id`. Any 2xx is success; anything else is retried with back-off for a day. Events about restricted " +
            "(safeguarding) cases carry no case details. Event types: " + string.Join(", ", WebhookEvents.All) + ". " +
            "The URL must be https on a public host (private, loopback and link-local addresses are refused, also when a name resolves to one).");
        Problems(409, 422);
        Idempotent("Send one per subscription to create: a retry returns the subscription created the first time (without its secret).");
        Summary(s => s.ExampleRequest = new CreateWebhookSubscriptionRequest(
            "https://mis.example.org/hooks/trust-platform", ["incident.reported", "policy.published"], "Mellers Primary School MIS"));
    }

    public override async Task<Results<Created<CreatedWebhookSubscriptionResponse>, ProblemHttpResult>> ExecuteAsync(CreateWebhookSubscriptionCommand command, CancellationToken ct)
    {
        HttpContext.Response.Headers.CacheControl = "no-store";
        var now = time.GetUtcNow();
        var subscription = new WebhookSubscription
        {
            TrustId = db.Tenant.TrustId!.Value,
            Id = Guid.CreateVersion7(now),
            Url = command.Body.Url.Trim(),
            Description = command.Body.Description?.Trim(),
            EventTypes = command.Body.EventTypes.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray(),
            SecretSalt = RandomNumberGenerator.GetBytes(32),
            CreatedAt = now,
            CreatedBy = Caller.Subject,
        };
        db.WebhookSubscriptions.Add(subscription);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created(
            $"/v1/webhooks/{subscription.Id}",
            new CreatedWebhookSubscriptionResponse(WebhookSubscriptionResponse.From(subscription), WebhookSigner.Secret(key.Bytes, subscription.SecretSalt)));
    }
}

public sealed class CreateWebhookSubscriptionValidator : Validator<CreateWebhookSubscriptionCommand>
{
    public CreateWebhookSubscriptionValidator()
    {
        RuleFor(x => x.Body.Url).Cascade(CascadeMode.Stop).NotEmpty().WithMessage("Required.").MaximumLength(WebhookAddress.MaxLength)
            .Must((_, url, context) => Resolve<WebhookAddress>().Problem(url) is not { } problem || Fail(context, problem)).WithMessage("{Problem}")
            .When(x => x.Body is not null);
        RuleFor(x => x.Body.EventTypes).Cascade(CascadeMode.Stop).NotNull().WithMessage("Required.")
            .Must(t => t.Count > 0).WithMessage("At least one event type.")
            .Must(t => t.Count <= WebhookEvents.All.Count).WithMessage($"At most {WebhookEvents.All.Count} event types.")
            .Must(t => t.All(WebhookEvents.All.Contains))
            .WithMessage(x => $"'{string.Join("', '", x.Body.EventTypes.Where(t => !WebhookEvents.All.Contains(t)))}' is not an event type; known: {string.Join(", ", WebhookEvents.All)}.")
            .When(x => x.Body is not null);
        RuleForEach(x => x.Body.EventTypes).MaximumLength(60).When(x => x.Body?.EventTypes is not null);
        RuleFor(x => x.Body.Description).MaximumLength(200).When(x => x.Body is not null);
    }

    private static bool Fail(FluentValidation.ValidationContext<CreateWebhookSubscriptionCommand> context, string problem)
    {
        context.MessageFormatter.AppendArgument("Problem", problem);
        return false;
    }
}
