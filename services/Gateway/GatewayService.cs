using System.Diagnostics;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Caching.Memory;
using OpenTelemetry;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Trust.Platform.Gateway;

/// <summary>
/// The optional front door (DESIGN.md): one base URL for integrations, routing <c>/policy</c>,
/// <c>/accounts</c>, <c>/incidents</c>, <c>/training</c> to the services with YARP. It forwards
/// credentials and W3C trace context untouched and authorises nothing itself: every service still
/// authenticates and authorises every request. It also serves each service's API reference and a UI.
/// </summary>
public sealed class GatewayService
{
    public static readonly string[] Services = ["policy", "accounts", "incidents", "training"];

    public static void AddGateway(WebApplicationBuilder builder)
    {
        var destinations = Services.ToDictionary(s => s, s => builder.Configuration[$"Services:{s}"] ?? throw new InvalidOperationException($"Services:{s} (the {s} service's base URL) is required."));
        foreach (var (service, url) in destinations)
        {
            if (!Uri.TryCreate(url, UriKind.Absolute, out _))
            {
                throw new InvalidOperationException($"Services:{service} is not an absolute URL.");
            }
        }

        // REVIEW: Yarp.ReverseProxy 2.1.0 cannot be restored here (its dependency System.IO.Hashing is
        // missing from this NuGet copy), so the gateway forwards with a small HttpClient-based proxy.
        builder.Services.AddHttpClient(Forwarder.ClientName).ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = false,
            AutomaticDecompression = System.Net.DecompressionMethods.None,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            ActivityHeadersPropagator = DistributedContextPropagator.CreateDefaultPropagator(),
        });
        builder.Services.AddHttpClient("services");
        builder.Services.AddMemoryCache();
        builder.Services.AddProblemDetails();

        // The tracer provider is the listener that makes ASP.NET Core and HttpClient create activities,
        // so the trace of a request continues through the gateway into the service.
        var tracing = Sdk.CreateTracerProviderBuilder()
            .SetResourceBuilder(ResourceBuilder.CreateDefault().AddService("trust-platform-gateway"))
            .AddSource("Microsoft.AspNetCore", "System.Net.Http");
        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            tracing.AddOtlpExporter();
        }

        builder.Services.AddSingleton(tracing.Build());
        Activity.DefaultIdFormat = ActivityIdFormat.W3C;
    }

    public static void MapGateway(WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        foreach (var service in Services)
        {
            var target = new Uri(app.Configuration[$"Services:{service}"]!);
            app.Map($"/{service}/{{**rest}}", (HttpContext context, IHttpClientFactory clients, string? rest) =>
                Forwarder.ForwardAsync(context, clients.CreateClient(Forwarder.ClientName), target, rest ?? ""));
        }

        app.MapGet("/health/live", () => Results.Ok(new { status = "Healthy" }));
        app.MapGet("/health/ready", ReadyAsync);
        app.MapGet("/openapi/{service}.json", OpenApiAsync);
        app.UseSwaggerUI(ui =>
        {
            ui.RoutePrefix = "docs";
            ui.DocumentTitle = "Trust Platform API";
            foreach (var service in Services)
            {
                ui.SwaggerEndpoint($"/openapi/{service}.json", service);
            }
        });
    }

    /// <summary>Ready when every service is ready.</summary>
    private static async Task<IResult> ReadyAsync(IHttpClientFactory clients, IConfiguration configuration, CancellationToken cancellationToken)
    {
        var client = clients.CreateClient("services");
        var checks = await Task.WhenAll(Services.Select(async s =>
        {
            try
            {
                using var response = await client.GetAsync(new Uri(new Uri(configuration[$"Services:{s}"]!), "/health/ready"), cancellationToken);
                return (s, response.IsSuccessStatusCode);
            }
            catch (HttpRequestException)
            {
                return (s, false);
            }
        }));
        var body = new { status = checks.All(c => c.Item2) ? "Healthy" : "Unhealthy", services = checks.ToDictionary(c => c.s, c => c.Item2 ? "Healthy" : "Unhealthy") };
        return checks.All(c => c.Item2) ? Results.Ok(body) : Results.Json(body, statusCode: StatusCodes.Status503ServiceUnavailable);
    }

    /// <summary>A service's OpenAPI document with its server set to its gateway prefix, so the UI's calls go through the gateway.</summary>
    private static async Task<IResult> OpenApiAsync(string service, IHttpClientFactory clients, IConfiguration configuration, IMemoryCache cache, CancellationToken cancellationToken)
    {
        if (!Services.Contains(service))
        {
            return Results.NotFound();
        }

        var document = await cache.GetOrCreateAsync("openapi:" + service, async entry =>
        {
            entry.AbsoluteExpirationRelativeToNow = TimeSpan.FromSeconds(30);
            var client = clients.CreateClient("services");
            var json = JsonNode.Parse(await client.GetStringAsync(new Uri(new Uri(configuration[$"Services:{service}"]!), "/openapi/v1.json"), cancellationToken))!.AsObject();
            json["servers"] = new JsonArray(new JsonObject { ["url"] = "/" + service });
            return json.ToJsonString();
        });
        return Results.Text(document!, "application/json");
    }
}
