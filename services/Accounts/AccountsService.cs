using Trust.Platform.Accounts.Features.Accounts.ReviewReminders;
using Trust.Platform.Accounts.Infrastructure;
using Trust.Platform.Hosting;

namespace Trust.Platform.Accounts;

/// <summary>The account register: applications, the approval chain, accounts, handover, review and closure. Its endpoints live in Features/.</summary>
public sealed class AccountsService
{
    public static readonly PlatformServiceInfo Info = new("accounts", AccountsDbContext.Schema, typeof(AccountsService).Assembly,
        Description: "The register of a school's official social media accounts: applications with their business case and approval chain " +
                     "(marketing officer, then the headteacher or the trust), at least two trained administrators who acknowledged the current " +
                     "policy, credential rotation, reviews, handover when staff leave, and closure.");

    public static void AddServices(WebApplicationBuilder builder)
    {
        // A singleton as well as the hosted service, so tests run a pass on their own clock (SweepAsync).
        builder.Services.AddSingleton<AccountReviewReminders>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<AccountReviewReminders>());
    }
}
