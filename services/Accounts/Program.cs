using Trust.Platform.Hosting;
using Trust.Platform.Accounts;
using Trust.Platform.Accounts.Infrastructure;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults<AccountsDbContext>(AccountsService.Info);

var app = builder.Build();
app.MapServiceDefaults();
AccountsService.MapApi(app);

return await app.RunPlatformAsync(args);
