using Microsoft.Extensions.Options;
using Trust.Platform.Hosting;
using Trust.Platform.Hosting.Caching;
using Trust.Platform.Incidents.Features.Disposal;
using Trust.Platform.Incidents.Features.Overdue;
using Trust.Platform.Incidents.Features.SchoolPolicies;
using Trust.Platform.Incidents.Infrastructure;

namespace Trust.Platform.Incidents;

/// <summary>The Incidents service: incident case management. Its endpoints are discovered by FastEndpoints (Features/**).</summary>
public sealed class IncidentsService
{
    public static readonly PlatformServiceInfo Info = new("incidents", IncidentsDbContext.Schema, typeof(IncidentsService).Assembly,
        Description: "Social media incidents and concerns: reports of cyberbullying, inappropriate content or contact, offensive comments and " +
                     "concerns about staff or pupils, each routed by the school's policy (a concern about the headteacher goes to the chair), " +
                     "with its SLA clock, DSL-only safeguarding visibility, encrypted evidence, escalation, an append-only timeline, legal hold and disposal past retention.");

    public static void AddServices(WebApplicationBuilder builder)
    {
        // Evidence settings are checked when the service starts (a folder outside the build output; a key outside Development).
        builder.Services.AddOptions<EvidenceOptions>().Bind(builder.Configuration.GetSection("Evidence")).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<EvidenceOptions>, EvidenceOptionsValidator>();
        builder.Services.AddSingleton<IEvidenceStorage, LocalFolderEvidenceStorage>();
        builder.Services.AddOptions<OverdueOptions>().Bind(builder.Configuration.GetSection("Incidents:Overdue"));
        builder.Services.AddSingleton<OverdueScanner>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<OverdueScanner>());
        builder.Services.AddOptions<DisposalOptions>().Bind(builder.Configuration.GetSection("Incidents:Disposal"));
        builder.Services.AddSingleton<EvidenceRemovalSweep>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<EvidenceRemovalSweep>());
        builder.Services.AddTenantReadCache<EffectivePolicy>(SchoolPolicyView.CacheLifetime);
    }
}
