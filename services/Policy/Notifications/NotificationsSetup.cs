using Microsoft.EntityFrameworkCore.Diagnostics;
using Trust.Platform.Policy.Webhooks;

namespace Trust.Platform.Policy.Notifications;

public static class NotificationsSetup
{
    /// <summary>The mail queue's sender, the webhook deliverer, and the signals that wake them on commit.</summary>
    public static IServiceCollection AddNotifications(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<MailOptions>().Bind(configuration.GetSection(MailOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<QueueSignal<OutgoingMail>>();
        services.AddSingleton<IInterceptor, QueueSignalInterceptor<OutgoingMail>>();
        services.AddSingleton<MailSender>();
        services.AddHostedService(sp => sp.GetRequiredService<MailSender>());
        services.AddSingleton<DigestSender>();
        services.AddHostedService(sp => sp.GetRequiredService<DigestSender>());

        services.AddOptions<WebhookOptions>().Bind(configuration.GetSection(WebhookOptions.Section));
        services.AddSingleton<WebhookKey>();
        services.AddSingleton(sp => new WebhookAddress(sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<WebhookOptions>>().Value.PrivateHostsAllowed));
        services.AddHttpClient(WebhookDeliverer.ClientName)
            .ConfigurePrimaryHttpMessageHandler(sp => new SocketsHttpHandler
            {
                // Every connection goes through the address check; a redirect is an answer, never followed.
                ConnectCallback = sp.GetRequiredService<WebhookAddress>().ConnectAsync,
                AllowAutoRedirect = false,
                UseProxy = false,
                PooledConnectionLifetime = TimeSpan.FromMinutes(2),
            });
        services.AddSingleton<QueueSignal<WebhookDelivery>>();
        services.AddSingleton<IInterceptor, QueueSignalInterceptor<WebhookDelivery>>();
        services.AddSingleton<WebhookDeliverer>();
        services.AddHostedService(sp => sp.GetRequiredService<WebhookDeliverer>());
        return services;
    }
}
