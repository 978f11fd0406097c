using Trust.Platform.Accounts.Domain.Accounts;
using Trust.Platform.Accounts.Model;

namespace Trust.Platform.Accounts.Tests;

/// <summary>The register entry's state transitions, without servers.</summary>
[Trait("Category", "Unit")]
public sealed class AccountTransitionsTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.UnixEpoch;

    [Fact]
    public void A_closed_account_refuses_every_change_and_changes_nothing()
    {
        var (a, b) = (Guid.NewGuid(), Guid.NewGuid());
        var account = new Account { Status = AccountStatus.Live, Administrators = [a], Version = 1 };
        AccountTransitions.Close(account, "  The club ended. ", "head", Now).Should().Be(AccountChange.Done);
        (account.Status, account.ClosedReason, account.ClosedBy, account.Version).Should().Be((AccountStatus.Closed, "The club ended.", "head", 2));

        AccountTransitions.Close(account, "again", "head", Now).Should().Be(AccountChange.AccountClosed);
        AccountTransitions.AddAdministrator(account, b, 1, Now).Should().Be(AccountChange.AccountClosed);
        AccountTransitions.RecordRotation(account, new DateOnly(2026, 1, 1), "vault://x", null, 1, Now).Should().Be(AccountChange.AccountClosed);
        AccountTransitions.Review(account, new DateOnly(2027, 1, 1), null, Now).Should().Be(AccountChange.AccountClosed);
        (account.Version, account.ClosedReason, account.Administrators.Length).Should().Be((2, "The club ended.", 1));
    }

    [Fact]
    public void An_existing_administrator_is_not_added_twice_and_a_custodian_must_be_an_administrator()
    {
        var (a, b) = (Guid.NewGuid(), Guid.NewGuid());
        var account = new Account { Status = AccountStatus.Live, Administrators = [a] };

        AccountTransitions.CanAddAdministrator(account, a).Should().Be(AccountChange.AlreadyAdministrator);
        AccountTransitions.RecordRotation(account, new DateOnly(2026, 1, 1), "vault://x", b, 1, Now).Should().Be(AccountChange.CustodianNotAdministrator);
        account.VaultReference.Should().BeNull();
    }

    [Fact]
    public void A_late_older_rotation_does_not_move_the_last_rotation_back_and_closes_the_rotation_task()
    {
        var a = Guid.NewGuid();
        var account = new Account { Status = AccountStatus.Live, Administrators = [a], LastRotatedOn = new DateOnly(2026, 6, 1), RotationRequired = true };

        AccountTransitions.RecordRotation(account, new DateOnly(2026, 5, 1), " vault://school/x ", a, 1, Now).Should().Be(AccountChange.Done);

        (account.LastRotatedOn, account.VaultReference, account.RotationRequired, account.CredentialCustodian)
            .Should().Be((new DateOnly(2026, 6, 1), "vault://school/x", false, (Guid?)a));
    }

    [Fact]
    public void A_second_ready_administrator_brings_an_account_back_from_at_risk()
    {
        var (a, b) = (Guid.NewGuid(), Guid.NewGuid());
        var account = new Account { Status = AccountStatus.AtRisk, Administrators = [a] };

        AccountTransitions.AddAdministrator(account, b, 2, Now).Should().Be(AccountChange.Done);

        (account.Status, account.CredentialCustodian).Should().Be((AccountStatus.Live, (Guid?)b));
    }
}
