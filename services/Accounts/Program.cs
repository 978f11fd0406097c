using Trust.Platform.Accounts;
using Trust.Platform.Accounts.Infrastructure;
using Trust.Platform.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults<AccountsDbContext>(AccountsService.Info);
AccountsService.AddServices(builder);

var app = builder.Build();
app.MapServiceDefaults();

return await app.RunPlatformAsync(args);
