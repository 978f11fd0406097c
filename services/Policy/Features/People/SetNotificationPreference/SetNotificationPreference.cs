using FastEndpoints;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Hosting.Endpoints;
using Trust.Platform.Hosting.People;
using Trust.Platform.Policy.Features.People.GetNotificationPreference;
using Trust.Platform.Policy.Infrastructure;
using Trust.Platform.Policy.Notifications;

namespace Trust.Platform.Policy.Features.People.SetNotificationPreference;

/// <param name="Delivery"><c>immediate</c> or <c>daily_digest</c>.</param>
public sealed record NotificationPreferenceRequest(string Delivery);

public sealed class NotificationPreferenceValidator : Validator<NotificationPreferenceRequest>
{
    public NotificationPreferenceValidator() =>
        RuleFor(x => x.Delivery).NotEmpty().WithMessage("Required.").MaximumLength(20)
            .Must(Delivery.All.Contains).WithMessage($"One of {string.Join(", ", Delivery.All)}.");
}

public sealed class SetNotificationPreference(PolicyDbContext db, MemberDirectory directory)
    : PlatformEndpoint<NotificationPreferenceRequest, Results<Ok<NotificationPreferenceResponse>, NotFound, ProblemHttpResult>>
{
    public override void Configure()
    {
        Put("/v1/me/notifications");
        Allow(RoleSets.AnyoneInSchool);
        Document("People", "Choose how I am notified",
            "The signed-in member chooses each notice by mail at once (`immediate`) or one message a day (`daily_digest`, at 07:00 UK time, " +
            "gathering what came since the last). A notice already held for today's digest stays in it. Safeguarding notices (a restricted case) " +
            "are always sent at once. Only the member chooses; a caller who is not a member of the trust's directory gets a 404.");
    }

    public override async Task<Results<Ok<NotificationPreferenceResponse>, NotFound, ProblemHttpResult>> ExecuteAsync(NotificationPreferenceRequest request, CancellationToken ct)
    {
        var member = await NotificationPreference.FindAsync(db, directory, Caller, User, ct);
        if (member is null)
        {
            return TypedResults.NotFound();
        }

        member.Notifications = request.Delivery;
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(new NotificationPreferenceResponse(member.Id, member.Notifications, true));
    }
}
