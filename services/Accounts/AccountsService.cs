using Trust.Platform.Accounts.Features.Accounts.AddAdministrator;
using Trust.Platform.Accounts.Features.Accounts.Close;
using Trust.Platform.Accounts.Features.Accounts.Get;
using Trust.Platform.Accounts.Features.Accounts.List;
using Trust.Platform.Accounts.Features.Accounts.RecordRotation;
using Trust.Platform.Accounts.Features.Accounts.Review;
using Trust.Platform.Accounts.Features.Applications.Create;
using Trust.Platform.Accounts.Features.Applications.Decide;
using Trust.Platform.Accounts.Features.Applications.Get;
using Trust.Platform.Accounts.Features.Applications.List;
using Trust.Platform.Accounts.Features.Policies.Get;
using Trust.Platform.Accounts.Infrastructure;
using Trust.Platform.Hosting;
using Trust.Platform.Hosting.Directory;

namespace Trust.Platform.Accounts;

/// <summary>The account register (issue 4): applications, the approval chain, accounts, handover, review and closure.</summary>
public sealed class AccountsService
{
    public static readonly PlatformServiceInfo Info = new("accounts", AccountsDbContext.Schema, typeof(AccountsService).Assembly);

    public static void MapApi(IEndpointRouteBuilder app)
    {
        app.MapSchoolDirectory<AccountsDbContext>();
        GetAccountPolicy.Map(app);
        CreateApplication.Map(app);
        ListApplications.Map(app);
        GetApplication.Map(app);
        DecideApplication.Map(app);
        ListAccounts.Map(app);
        GetAccount.Map(app);
        AddAdministrator.Map(app);
        RecordRotation.Map(app);
        ReviewAccount.Map(app);
        CloseAccount.Map(app);
    }
}
