using Trust.Platform.Hosting.Auth;
using Trust.Platform.Policy.Domain.AccessRequests;
using Trust.Platform.Policy.Model;

namespace Trust.Platform.Policy.Tests;

/// <summary>A blocked-content access request's life without servers: decided once, never approved after its period, the approver role from the setting.</summary>
[Trait("Category", "Unit")]
public sealed class AccessRequestRulesTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 24, 10, 0, 0, TimeSpan.Zero);

    private static BlockedContentRequest Pending(DateTimeOffset until) => new()
    {
        Site = "youtube.com", AllowedFrom = Now.AddDays(-1), AllowedUntil = until, Status = AccessRequestStatus.Pending,
    };

    [Fact]
    public void An_approval_records_who_decided_as_which_role_and_why()
    {
        var request = Pending(Now.AddDays(1));

        AccessRequestRules.Decide(request, true, "Supervised lesson", "head-1", Roles.Headteacher, Now).Should().Be(DecideOutcome.Decided);

        request.Status.Should().Be(AccessRequestStatus.Approved);
        (request.DecidedAt, request.DecidedBy, request.DecidedAs, request.DecisionReason).Should().Be((Now, "head-1", Roles.Headteacher, "Supervised lesson"));
    }

    [Fact]
    public void A_decided_request_is_not_decided_again()
    {
        var request = Pending(Now.AddDays(1));
        AccessRequestRules.Decide(request, false, "No", "head-1", Roles.Headteacher, Now);

        AccessRequestRules.Decide(request, true, "Yes after all", "head-1", Roles.Headteacher, Now).Should().Be(DecideOutcome.AlreadyDecided);

        request.Status.Should().Be(AccessRequestStatus.Refused);
        request.DecisionReason.Should().Be("No");
    }

    [Fact]
    public void A_request_whose_period_has_ended_cannot_be_approved_but_can_be_refused()
    {
        AccessRequestRules.Decide(Pending(Now), true, "Yes", "head-1", Roles.Headteacher, Now).Should().Be(DecideOutcome.Lapsed);
        AccessRequestRules.Decide(Pending(Now), false, "Too late", "head-1", Roles.Headteacher, Now).Should().Be(DecideOutcome.Decided);
    }

    [Theory]
    [InlineData("headteacher", Roles.Headteacher)]
    [InlineData("dsl", Roles.Dsl)]
    [InlineData("ict_technician", Roles.IctTechnician)]
    [InlineData(null, Roles.Headteacher)]
    public void The_approver_is_the_role_the_setting_names(string? setting, string role)
    {
        AccessRequestRules.ApproverRole(setting).Should().Be(role);
    }
}
