using System.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Trust.Platform.Hosting.Observability;

/// <summary>
/// OpenTelemetry with the core SDK only (the hosting and instrumentation packages are not available
/// here): ASP.NET Core, Npgsql and MassTransit already publish ActivitySources and Meters, so listening
/// to them by name is the instrumentation. OTLP export when OTEL_EXPORTER_OTLP_ENDPOINT is set.
/// </summary>
public static class Telemetry
{
    public static readonly string[] Sources = ["Microsoft.AspNetCore", "Npgsql", "MassTransit", "Trust.Platform.*"];

    public static readonly string[] Meters =
    [
        "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel", "Microsoft.AspNetCore.RateLimiting",
        "Npgsql", "MassTransit", "Trust.Platform.*",
    ];

    public static void AddPlatformTelemetry(this IServiceCollection services, ILoggingBuilder logging, IConfiguration configuration, string serviceName)
    {
        // W3C trace context everywhere (the default since .NET 5, set explicitly because propagation depends on it).
        Activity.DefaultIdFormat = ActivityIdFormat.W3C;
        Activity.ForceDefaultIdFormat = true;

        var otlp = !string.IsNullOrWhiteSpace(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        var resource = ResourceBuilder.CreateDefault().AddService("trust-platform-" + serviceName);

        // The tracer provider is always built: it is the listener that makes ASP.NET Core, Npgsql and
        // MassTransit create activities, which carry the trace across the outbox and RabbitMQ.
        var tracing = Sdk.CreateTracerProviderBuilder().SetResourceBuilder(resource).AddSource(Sources);
        if (otlp)
        {
            tracing.AddOtlpExporter();
        }

        services.AddSingleton(tracing.Build());

        if (otlp)
        {
            services.AddSingleton(Sdk.CreateMeterProviderBuilder().SetResourceBuilder(resource).AddMeter(Meters).AddOtlpExporter().Build());
            logging.AddOpenTelemetry(o =>
            {
                o.SetResourceBuilder(resource);
                o.IncludeScopes = true;
                o.IncludeFormattedMessage = true;
                o.AddOtlpExporter();
            });
        }
    }
}
