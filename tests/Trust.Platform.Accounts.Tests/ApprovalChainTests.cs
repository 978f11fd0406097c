using Trust.Platform.Accounts.Domain.Accounts;
using Trust.Platform.Accounts.Domain.Applications;
using Trust.Platform.Accounts.Model;
using Trust.Platform.Accounts.Rules;
using Trust.Platform.Hosting.Auth;

namespace Trust.Platform.Accounts.Tests;

/// <summary>The approval chain's rules (002 Appendix C; 000/003/004), without servers.</summary>
[Trait("Category", "Unit")]
public sealed class ApprovalChainTests
{
    private static readonly Guid Alex = Guid.NewGuid();
    private static readonly Guid Sam = Guid.NewGuid();

    private static AccountApplication Pending(params string[] chain) => new()
    {
        Id = Guid.NewGuid(), SchoolId = Guid.NewGuid(), ApplicantSubject = "alex", ApplicantStaffId = Alex,
        Administrators = [Alex, Sam], ApprovalChain = chain, Status = ApplicationStatus.Pending,
    };

    private static Decider Holding(string subject, Guid? staffId, params string[] roles) =>
        new(subject, staffId, wanted => wanted.Intersect(roles).Any());

    [Fact]
    public void The_applicant_cannot_decide_their_own_application_even_holding_the_steps_role()
    {
        var application = Pending(Roles.MarketingOfficer, Roles.Headteacher);

        ApprovalChain.Decide(application, Holding("alex", Alex, Roles.MarketingOfficer), Roles.MarketingOfficer, DecisionOutcome.Approve)
            .Should().BeOfType<DecideOutcome.SelfApproval>();
        ApprovalChain.Decide(application, Holding("alex", null, Roles.MarketingOfficer), Roles.MarketingOfficer, DecisionOutcome.Approve)
            .Should().BeOfType<DecideOutcome.SelfApproval>("the same sign-in without a roster id is the same person");
        ApprovalChain.Decide(application, Holding("another-login", Alex, Roles.MarketingOfficer), Roles.MarketingOfficer, DecisionOutcome.Reject)
            .Should().BeOfType<DecideOutcome.SelfApproval>("the same roster id under another sign-in is the same person");
    }

    [Fact]
    public void A_decision_for_a_later_step_is_out_of_order_and_the_wrong_role_is_not_your_step()
    {
        var application = Pending(Roles.MarketingOfficer, Roles.Headteacher);

        ApprovalChain.Decide(application, Holding("head", null, Roles.Headteacher), Roles.Headteacher, DecisionOutcome.Approve)
            .Should().Be(new DecideOutcome.OutOfOrder(Roles.MarketingOfficer, 1, 2));
        ApprovalChain.Decide(application, Holding("head", null, Roles.Headteacher), Roles.MarketingOfficer, DecisionOutcome.Approve)
            .Should().Be(new DecideOutcome.NotYourStep(Roles.MarketingOfficer));
    }

    [Theory]
    [InlineData(Roles.Headteacher, Roles.Headteacher, true)]
    [InlineData(Roles.Headteacher, Roles.TrustAdmin, true)]
    [InlineData(ApprovalChain.LeadershipTeam, Roles.Headteacher, true)]
    [InlineData(ApprovalChain.LeadershipTeam, Roles.TrustAdmin, true)]
    [InlineData(ApprovalChain.LeadershipTeam, Roles.Staff, false)]
    [InlineData(Roles.MarketingOfficer, Roles.TrustAdmin, false)]
    public void The_headteacher_or_the_ceo_takes_a_headteacher_or_leadership_team_step(string step, string role, bool may) =>
        ApprovalChain.Decide(Pending(step), Holding("decider", null, role), step, DecisionOutcome.Approve)
            .Should().Be(may ? new DecideOutcome.FinalApproval(step) : new DecideOutcome.NotYourStep(step));

    [Fact]
    public void Approving_moves_along_the_chain_and_the_last_approval_registers_the_account()
    {
        var application = Pending(Roles.MarketingOfficer, Roles.Headteacher);
        var now = DateTimeOffset.UnixEpoch;

        ApprovalChain.Decide(application, Holding("mo", null, Roles.MarketingOfficer), Roles.MarketingOfficer, DecisionOutcome.Approve)
            .Should().Be(new DecideOutcome.Advances(Roles.MarketingOfficer));
        ApprovalChain.Apply(application, new ApplicationDecision { Outcome = DecisionOutcome.Approve }, new(null, null, null), now).Should().BeNull();
        application.CurrentStep.Should().Be(1);

        ApprovalChain.Decide(application, Holding("head", null, Roles.Headteacher), Roles.Headteacher, DecisionOutcome.Approve)
            .Should().Be(new DecideOutcome.FinalApproval(Roles.Headteacher));
        var account = ApprovalChain.Apply(application, new ApplicationDecision { Outcome = DecisionOutcome.Approve }, new("https://x.com/a", null, Sam), now);

        account.Should().NotBeNull();
        (application.Status, application.AccountId).Should().Be((ApplicationStatus.Approved, account!.Id));
        (account.Status, account.CredentialCustodian).Should().Be((AccountStatus.Live, Sam));
        account.Administrators.Should().Equal(Alex, Sam);
    }

    [Fact]
    public void A_rejection_ends_the_application_and_nothing_further_is_decided()
    {
        var application = Pending(Roles.MarketingOfficer, Roles.Headteacher);

        ApprovalChain.Decide(application, Holding("mo", null, Roles.MarketingOfficer), Roles.MarketingOfficer, DecisionOutcome.Reject)
            .Should().Be(new DecideOutcome.Rejects(Roles.MarketingOfficer));
        ApprovalChain.Apply(application, new ApplicationDecision { Outcome = DecisionOutcome.Reject }, new(null, null, null), DateTimeOffset.UnixEpoch).Should().BeNull();

        application.Status.Should().Be(ApplicationStatus.Rejected);
        ApprovalChain.Decide(application, Holding("head", null, Roles.Headteacher), Roles.Headteacher, DecisionOutcome.Approve)
            .Should().Be(new DecideOutcome.AlreadyDecided(ApplicationStatus.Rejected));
    }

    [Fact]
    public void Final_approval_needs_at_least_the_minimum_of_administrators_each_trained_and_having_acknowledged_the_current_version()
    {
        var today = new DateOnly(2026, 12, 3);
        var version = Guid.NewGuid();
        var policy = EffectiveAccountPolicy.Default with { MinimumAdministrators = 2, PolicyVersionId = version, Version = "1.0" };
        var staff = new Dictionary<Guid, StaffMember> { [Alex] = new() { StaffId = Alex, DisplayName = "Alex Brown" }, [Sam] = new() { StaffId = Sam, DisplayName = "Sam Patel" } };
        var training = new Dictionary<Guid, TrainingRecord>
        {
            [Alex] = new() { StaffId = Alex, CompletedOn = today.AddMonths(-1), ExpiresOn = today.AddYears(1) },
            [Sam] = new() { StaffId = Sam, CompletedOn = today.AddYears(-2), ExpiresOn = today.AddDays(-1) },
        };

        var shortfalls = AdministratorReadiness.Assess([Alex, Sam], staff, training, new HashSet<Guid> { Alex }, policy, today);
        shortfalls.Should().ContainSingle().Which.Should().BeEquivalentTo(new
        {
            StaffId = Sam, Name = "Sam Patel", Lacks = new[] { AdministratorReadiness.TrainingExpired, $"{AdministratorReadiness.NoAcknowledgement} (1.0)" },
        });
        ApprovalChain.Preconditions(2, 2, shortfalls).Met.Should().BeFalse();

        var ready = AdministratorReadiness.Assess([Alex], staff, training, new HashSet<Guid> { Alex }, policy, today);
        ready.Should().BeEmpty();
        ApprovalChain.Preconditions(1, 2, ready).Should().Be(new ApprovalPreconditions(true, ready), "004: at least two administrators");
        ApprovalChain.Preconditions(2, 2, ready).Met.Should().BeTrue();
    }

    [Fact]
    public void Before_any_publication_no_administrator_can_have_acknowledged_the_current_version()
    {
        var today = new DateOnly(2026, 12, 3);
        var shortfalls = AdministratorReadiness.Assess([Alex], new Dictionary<Guid, StaffMember> { [Alex] = new() { StaffId = Alex } },
            new Dictionary<Guid, TrainingRecord> { [Alex] = new() { StaffId = Alex, CompletedOn = today } }, new HashSet<Guid>(), EffectiveAccountPolicy.Default, today);

        shortfalls.Single().Lacks.Should().Equal(AdministratorReadiness.NoPublishedVersion);
    }
}
