using Trust.Platform.Hosting;
using Trust.Platform.Training.Features.Completions.Expiry;
using Trust.Platform.Training.Features.Notifications;
using Trust.Platform.Training.Infrastructure;

namespace Trust.Platform.Training;

/// <summary>The Training service: roster synced from MIS systems, requirements, completions, acknowledgements, cohort sessions, compliance.</summary>
public sealed class TrainingService
{
    public static readonly PlatformServiceInfo Info = new("training", TrainingDbContext.Schema, typeof(TrainingService).Assembly,
        Description: "Staff rosters synced from each school's MIS, the training the trust's social media policy requires of them, completions, " +
                     "policy acknowledgements, pupil and parent sessions, and compliance per school and across the trust.");

    public static void AddServices(IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<ExpirySignal>();
        services.Configure<ExpiryOptions>(configuration.GetSection("Training:Expiry"));
        services.AddHostedService<TrainingExpiryService>();
        services.Configure<TrainingNoticeOptions>(configuration.GetSection("Training:Notices"));
        services.AddSingleton<TrainingNoticeService>();
        services.AddHostedService(sp => sp.GetRequiredService<TrainingNoticeService>());
    }
}
