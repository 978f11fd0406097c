using System.Net;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.TestSupport;
using static Trust.Platform.Accounts.Tests.AccountsWorld;

namespace Trust.Platform.Accounts.Tests;

/// <summary>Separation of duties: whoever applied for an account never decides a step of their own application.</summary>
public sealed class SelfApprovalTests(ReplicaServiceHost<AccountsService> host) : IClassFixture<ReplicaServiceHost<AccountsService>>
{
    private readonly AccountsWorld _world = new(host);

    private async Task<(Guid School, Guid Applicant, Guid Colleague)> SchoolWithStaffAsync()
    {
        var school = await _world.NewSchoolAsync();
        await _world.PublishPolicyAsync(school, 2);
        return (school, await _world.JoinAsync(school, "Alex Brown"), await _world.JoinAsync(school, "Sam Patel"));
    }

    [Fact]
    public async Task A_marketing_officer_cannot_approve_the_step_of_their_own_application()
    {
        var (school, alex, sam) = await SchoolWithStaffAsync();
        // Alex is on the staff and the school's marketing officer: the first approver of 002 Appendix C.
        var alexUser = new DevUser($"alex-{alex:N}", "Alex Brown", _world.Trust, [$"{Roles.Staff}:{school}", $"{Roles.MarketingOfficer}:{school}"], alex);
        using var applicant = _world.Client(alexUser);
        var application = (await _world.ApplyAsync(applicant, Application(school, [alex, sam], "OwnApplication")))["id"]!.GetValue<Guid>();

        var response = await DecideAsync(applicant, application, "marketing_officer", "approve");
        response.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        var problem = await ProblemAsync(response);
        problem["rule"]!.GetValue<string>().Should().Be("accounts.no_self_approval");
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");

        // Another marketing officer of the school may take the step.
        using var mo = _world.Client(_world.MarketingOfficer(school));
        (await DecideAsync(mo, application, "marketing_officer", "approve")).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_headteacher_who_applied_under_their_own_sign_in_cannot_approve_it()
    {
        var (school, alex, sam) = await SchoolWithStaffAsync();
        // The same person signed in without a roster id: recognised by the subject of the token.
        var head = new DevUser($"head-self-{school:N}", "Head", _world.Trust, [$"{Roles.Headteacher}:{school}", $"{Roles.MarketingOfficer}:{school}"]);
        using var client = _world.Client(head);
        var application = (await _world.ApplyAsync(client, Application(school, [alex, sam], "HeadsOwn")))["id"]!.GetValue<Guid>();

        var response = await DecideAsync(client, application, "marketing_officer", "approve");
        response.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await ProblemAsync(response))["rule"]!.GetValue<string>().Should().Be("accounts.no_self_approval");
    }
}
