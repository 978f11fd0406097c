using Trust.Platform.Hosting;
using Trust.Platform.Hosting.Caching;
using Trust.Platform.Policy;
using Trust.Platform.Policy.Demo;
using Trust.Platform.Policy.Infrastructure;
using Trust.Platform.Policy.Notifications;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults<PolicyDbContext>(PolicyService.Info);
// The effective policy, per replica for at most 2 s; every configuration write in this replica evicts the trust (ADR 0004).
builder.Services.AddTenantReadCache<Trust.Platform.Hosting.Http.JsonBytesResult<Trust.Platform.Policy.Features.Configuration.Effective.EffectivePolicyResponse>>(TimeSpan.FromSeconds(2));
builder.Services.AddSingleton<Trust.Platform.Policy.Features.Configuration.Reviews.ReviewReminderService>();
builder.Services.AddHostedService(sp => sp.GetRequiredService<Trust.Platform.Policy.Features.Configuration.Reviews.ReviewReminderService>());
builder.Services.AddNotifications(builder.Configuration);

var app = builder.Build();
app.MapServiceDefaults();

if (args is ["seed-demo", ..])
{
    return await DemoSeeder.RunAsync(app.Services, Console.Out);
}

return await app.RunPlatformAsync(args);
