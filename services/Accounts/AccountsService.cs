using Trust.Platform.Accounts.Infrastructure;
using Trust.Platform.Hosting;

namespace Trust.Platform.Accounts;

/// <summary>The account register: applications, the approval chain, accounts, handover, review and closure. Its endpoints live in Features/.</summary>
public sealed class AccountsService
{
    public static readonly PlatformServiceInfo Info = new("accounts", AccountsDbContext.Schema, typeof(AccountsService).Assembly);
}
