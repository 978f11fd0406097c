using FsCheck;
using FsCheck.Fluent;
using Trust.Platform.Accounts.Model;
using Trust.Platform.Accounts.Rules;

namespace Trust.Platform.Accounts.Tests;

/// <summary>The pure rules: no servers needed.</summary>
[Trait("Category", "Unit")]
public sealed class RulesTests
{
    [Theory]
    [InlineData("mr_patel_art", true)]
    [InlineData("SamPatelPE", true)]
    [InlineData("BasfordArtDept", false)]
    [InlineData("brierleyhill_pe", false)]
    public void A_handle_is_refused_when_it_contains_a_staff_members_name(string handle, bool refused) =>
        NamingConvention.LooksLikeAPersonsName(handle, ["Sam Patel", "Alex Brown", "Jo Li"]).Should().Be(refused);

    [Fact]
    public void A_handle_is_always_refused_when_it_embeds_a_staff_members_surname() =>
        Prop.ForAll(Gen.Elements("art", "pe", "music", "year6").ToArbitrary(), Gen.Elements("Patel", "Brown", "Okafor").ToArbitrary(), (department, surname) =>
                NamingConvention.LooksLikeAPersonsName($"{department}_{surname.ToLowerInvariant()}", [$"Sam {surname}"]))
            .QuickCheckThrowOnFailure();

    [Fact]
    public void An_account_below_the_minimum_is_at_risk_and_its_handover_clears_only_when_the_minimum_is_met_and_credentials_rotated()
    {
        var (a, b, c) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        var account = new Account { Administrators = [a, b], Status = AccountStatus.Live, CredentialCustodian = b };

        Handover.Start(account, b, new DateOnly(2026, 3, 2), 2, DateTimeOffset.UnixEpoch);
        account.Status.Should().Be(AccountStatus.AtRisk);
        account.HandoverDueOn.Should().Be(new DateOnly(2026, 3, 16));
        account.CredentialCustodian.Should().BeNull("the leaver no longer holds the credentials");

        account.Administrators = [a, c];
        account.Reassess(2);
        (account.Status, account.HandoverRequired).Should().Be((AccountStatus.Live, true));

        account.RotationRequired = false;
        account.Reassess(2);
        (account.Status, account.HandoverRequired).Should().Be((AccountStatus.Live, false));
    }

    [Fact]
    public void A_closed_account_stays_closed_whatever_the_minimum() =>
        Prop.ForAll(Gen.Choose(0, 10).ToArbitrary(), minimum =>
        {
            var account = new Account { Status = AccountStatus.Closed };
            account.Reassess(minimum);
            return account.Status == AccountStatus.Closed;
        }).QuickCheckThrowOnFailure();
}
