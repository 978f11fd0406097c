using Microsoft.EntityFrameworkCore;
using Trust.Platform.Accounts.Infrastructure;
using Trust.Platform.Accounts.Model;
using Trust.Platform.Accounts.Rules;
using Trust.Platform.Contracts;
using Trust.Platform.Hosting.Policy;

namespace Trust.Platform.Accounts.Consumers;

/// <summary>
/// Keeps the school's latest publication in the platform's policy view (the account rules are read from it by
/// <see cref="EffectiveAccountPolicy"/>) and reassesses the school's accounts, the data Accounts derives from it: a
/// raised minimum flags the accounts now below it as at risk.
/// </summary>
public sealed class PolicyPublishedConsumer(AccountsDbContext db) : PolicyViewConsumer<AccountsDbContext>(db)
{
    /// <summary>The inbox key of this consumer: stable, so that a rename never replays history.</summary>
    protected override string ConsumerName => "PolicyPublishedConsumer";

    protected override async Task AppliedAsync(PolicyPublished message, CancellationToken cancellationToken)
    {
        var minimum = EffectiveAccountPolicy.MinimumFrom(message.Accounts);
        var accounts = await Db.Accounts.Where(a => a.SchoolId == message.SchoolId && a.Status != AccountStatus.Closed).ToListAsync(cancellationToken);
        foreach (var account in accounts)
        {
            var before = account.Status;
            account.Reassess(minimum);
            if (account.Status != before)
            {
                account.UpdatedAt = message.OccurredAt;
                account.Version++;
            }
        }
    }
}
