using Trust.Platform.Hosting;
using Trust.Platform.Hosting.Directory;
using Trust.Platform.Accounts.Infrastructure;

namespace Trust.Platform.Accounts;

public sealed class AccountsService
{
    public static readonly PlatformServiceInfo Info = new("accounts", AccountsDbContext.Schema, typeof(AccountsService).Assembly);

    public static void MapApi(IEndpointRouteBuilder app)
    {
        app.MapSchoolDirectory<AccountsDbContext>();
    }
}
