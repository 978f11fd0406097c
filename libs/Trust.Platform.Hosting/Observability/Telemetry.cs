using System.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;
using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Trust.Platform.Hosting.Observability;

/// <summary>
/// OpenTelemetry through its hosting package: the ASP.NET Core, HttpClient, runtime and Npgsql
/// instrumentations, plus MassTransit's and the platform's own sources and meters. Tracing is always on
/// (it is the listener that makes activities exist, and the trace crosses the outbox and RabbitMQ); OTLP
/// export of traces, metrics and logs when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set.
/// </summary>
public static class Telemetry
{
    /// <summary>Sources the instrumentation packages do not cover.</summary>
    public static readonly string[] Sources = ["MassTransit", "Trust.Platform.*"];

    public static readonly string[] Meters = ["Microsoft.AspNetCore.RateLimiting", "MassTransit", "Trust.Platform.*"];

    public static void AddPlatformTelemetry(this IServiceCollection services, ILoggingBuilder logging, IConfiguration configuration, string serviceName)
    {
        // W3C trace context everywhere (the default since .NET 5, set explicitly because propagation depends on it).
        Activity.DefaultIdFormat = ActivityIdFormat.W3C;
        Activity.ForceDefaultIdFormat = true;

        var otlp = !string.IsNullOrWhiteSpace(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        var telemetry = services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService("trust-platform-" + serviceName))
            .WithTracing(t =>
            {
                t.AddAspNetCoreInstrumentation().AddHttpClientInstrumentation().AddNpgsql().AddSource(Sources);
                if (otlp)
                {
                    t.AddOtlpExporter();
                }
            });

        if (otlp)
        {
            telemetry.WithMetrics(m => m
                .AddAspNetCoreInstrumentation().AddHttpClientInstrumentation().AddRuntimeInstrumentation().AddNpgsqlInstrumentation()
                .AddMeter(Meters).AddOtlpExporter());
            logging.AddOpenTelemetry(o =>
            {
                o.IncludeScopes = true;
                o.IncludeFormattedMessage = true;
                o.AddOtlpExporter();
            });
        }
    }
}
