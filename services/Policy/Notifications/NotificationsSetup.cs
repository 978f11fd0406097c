using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Trust.Platform.Policy.Notifications;

public static class NotificationsSetup
{
    /// <summary>The mail queue's sender and the signal that wakes it.</summary>
    public static IServiceCollection AddNotifications(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<MailOptions>().Bind(configuration.GetSection(MailOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<MailSignal>();
        services.AddSingleton<IInterceptor, MailSignalInterceptor>();
        services.AddSingleton<MailSender>();
        services.AddHostedService(sp => sp.GetRequiredService<MailSender>());
        return services;
    }
}
