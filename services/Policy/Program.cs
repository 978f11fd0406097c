using Trust.Platform.Hosting;
using Trust.Platform.Policy;
using Trust.Platform.Policy.Demo;
using Trust.Platform.Policy.Infrastructure;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults<PolicyDbContext>(PolicyService.Info);
builder.Services.AddSingleton<Trust.Platform.Policy.Features.Configuration.Effective.EffectivePolicyCache>();
builder.Services.AddSingleton<Trust.Platform.Policy.Features.Configuration.Reviews.ReviewReminderService>();
builder.Services.AddHostedService(sp => sp.GetRequiredService<Trust.Platform.Policy.Features.Configuration.Reviews.ReviewReminderService>());

var app = builder.Build();
app.MapServiceDefaults();
PolicyService.MapApi(app);

if (args is ["seed-demo", ..])
{
    return await DemoSeeder.RunAsync(app.Services, Console.Out);
}

return await app.RunPlatformAsync(args);
