using Microsoft.EntityFrameworkCore;
using Trust.Platform.Accounts.Infrastructure;
using Trust.Platform.Accounts.Model;
using Trust.Platform.Accounts.Rules;
using Trust.Platform.Contracts;
using Trust.Platform.Messaging.Inbox;

namespace Trust.Platform.Accounts.Consumers;

/// <summary>
/// Keeps the school's effective account rules (minimum administrators, approval chain, required
/// business-case fields, naming convention, current version) and reassesses the school's accounts:
/// a raised minimum flags the accounts now below it as at risk.
/// </summary>
public sealed class PolicyPublishedConsumer(AccountsDbContext db) : InboxConsumer<PolicyPublished, AccountsDbContext>(db)
{
    protected override async Task HandleAsync(PolicyPublished message, CancellationToken cancellationToken)
    {
        var row = await Db.SchoolPolicies.SingleOrDefaultAsync(p => p.SchoolId == message.SchoolId, cancellationToken);
        if (row is not null && row.PublishedAt > message.OccurredAt)
        {
            return; // A later publication already applied; this one arrived late.
        }

        if (row is null)
        {
            row = new SchoolPolicy { TrustId = message.TrustId, SchoolId = message.SchoolId };
            Db.SchoolPolicies.Add(row);
        }

        var rules = message.Accounts;
        row.PolicyVersionId = message.PolicyVersionId;
        row.Version = message.Version;
        row.MinimumAdministrators = rules.MinimumAdministrators;
        row.ApprovalChain = rules.ApprovalChain.ToArray();
        row.RequiredFields = rules.RequiredBusinessCaseFields.ToArray();
        row.NamingConvention = rules.NamingConvention;
        row.PublishedAt = message.OccurredAt;

        var accounts = await Db.Accounts.Where(a => a.SchoolId == message.SchoolId && a.Status != AccountStatus.Closed).ToListAsync(cancellationToken);
        foreach (var account in accounts)
        {
            var before = account.Status;
            account.Reassess(EffectiveAccountPolicy.MinimumFrom(rules));
            if (account.Status != before)
            {
                account.UpdatedAt = message.OccurredAt;
                account.Version++;
            }
        }
    }
}
