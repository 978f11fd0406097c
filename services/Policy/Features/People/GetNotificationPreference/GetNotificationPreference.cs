using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Hosting.Endpoints;
using Trust.Platform.Hosting.People;
using Trust.Platform.Policy.Infrastructure;

namespace Trust.Platform.Policy.Features.People.GetNotificationPreference;

/// <summary>How a member hears of things: <c>immediate</c> or <c>daily_digest</c>; safeguarding notices come at once whatever it says.</summary>
public sealed record NotificationPreferenceResponse(Guid MemberId, string Delivery, bool SafeguardingAlwaysImmediate);

public sealed class GetNotificationPreference(PolicyDbContext db, MemberDirectory directory) : PlatformEndpoint<Results<Ok<NotificationPreferenceResponse>, NotFound>>
{
    public override void Configure()
    {
        Get("/v1/me/notifications");
        Allow(RoleSets.AnyoneInSchool);
        Document("People", "Read how I am notified",
            "The signed-in member's choice: each notice by mail at once (`immediate`, the default) or one message a day gathering them " +
            "(`daily_digest`, at 07:00 UK time). Safeguarding notices (a restricted case) are always sent at once. A caller who is not a member " +
            "of the trust's directory (a development token, an API key) gets a 404.");
    }

    public override async Task<Results<Ok<NotificationPreferenceResponse>, NotFound>> ExecuteAsync(CancellationToken ct)
    {
        var member = await NotificationPreference.FindAsync(db, directory, Caller, User, ct);
        return member is null ? TypedResults.NotFound() : TypedResults.Ok(new NotificationPreferenceResponse(member.Id, member.Notifications, true));
    }
}

/// <summary>The signed-in member, found as every service finds them (the subject, and the issuer when the member names one).</summary>
public static class NotificationPreference
{
    public static async Task<Model.TrustMember?> FindAsync(PolicyDbContext db, MemberDirectory directory, PlatformPrincipal caller,
        System.Security.Claims.ClaimsPrincipal user, CancellationToken ct)
    {
        if (caller.IsApiKey || caller.TrustId is not { } trust)
        {
            return null;
        }

        var grants = await directory.FindAsync(trust, user.FindFirst(MemberRoleClaims.IssuerClaim)?.Value ?? "", caller.Subject, ct);
        return grants is null ? null : await db.TrustMembers.SingleOrDefaultAsync(m => m.Id == grants.MemberId, ct);
    }
}
