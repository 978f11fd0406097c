using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Timeouts;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Scalar.AspNetCore;
using Trust.Platform.Gateway.Forwarding;
using Trust.Platform.Gateway.Security;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Forwarder;
using BadHttpRequestException = Microsoft.AspNetCore.Http.BadHttpRequestException;

namespace Trust.Platform.Gateway;

/// <summary>
/// The front door (DESIGN.md): one base URL for integrations, routing <c>/policy</c>, <c>/accounts</c>,
/// <c>/incidents</c>, <c>/training</c> to the services with YARP over a fixed route table (ADR 0005). It
/// forwards credentials and W3C trace context and authorises nothing itself: every service still
/// authenticates and authorises every request. It also serves each service's API reference and a UI.
/// </summary>
public sealed class GatewayService
{
    public static readonly string[] Services = ["policy", "accounts", "incidents", "training"];

    public static void AddGateway(WebApplicationBuilder builder)
    {
        var services = builder.Services;
        // Fail at start-up, not on the first request, when a destination is missing or malformed.
        FixedRoutes.Destinations(builder.Configuration);

        services.AddOptions<GatewayLimits>().Bind(builder.Configuration.GetSection("Limits"));
        services.AddOptions<KestrelServerOptions>().Configure<IOptions<GatewayLimits>>((kestrel, options) =>
        {
            var limits = options.Value;
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = limits.MaxRequestBodyBytes;
            kestrel.Limits.MaxRequestHeadersTotalSize = limits.MaxRequestHeadersTotalBytes;
            kestrel.Limits.MaxRequestHeaderCount = limits.MaxRequestHeaderCount;
            kestrel.Limits.MaxRequestLineSize = limits.MaxRequestLineBytes;
            kestrel.Limits.RequestHeadersTimeout = limits.RequestHeadersTimeout;
        });
        services.AddOptions<RequestTimeoutOptions>().Configure<IOptions<GatewayLimits>>((timeouts, options) =>
            timeouts.DefaultPolicy = new RequestTimeoutPolicy
            {
                Timeout = options.Value.RequestTimeout,
                WriteTimeoutResponse = context => GatewayProblems.WriteAsync(context, StatusCodes.Status504GatewayTimeout, "The request took too long"),
            });
        services.AddRequestTimeouts();
        services.AddSingleton<ClientRateLimit>();

        services.AddSingleton<IProxyConfigProvider, FixedRoutes>();
        services.AddReverseProxy().AddTransforms(GatewayTransforms.Apply);

        services.AddHttpClient("services");
        services.AddMemoryCache();
        services.AddProblemDetails(o => o.CustomizeProblemDetails = GatewayProblems.Customize);
        services.AddExceptionHandler<GatewayExceptionHandler>();

        // The tracer provider is the listener that makes ASP.NET Core and HttpClient create activities,
        // so the trace of a request continues through the gateway into the service.
        var otlp = !string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService("trust-platform-gateway"))
            .WithTracing(t =>
            {
                t.AddAspNetCoreInstrumentation().AddHttpClientInstrumentation().AddSource("Yarp.ReverseProxy");
                if (otlp)
                {
                    t.AddOtlpExporter();
                }
            });
        Activity.DefaultIdFormat = ActivityIdFormat.W3C;

        // As the services' defaults (ConsoleLogs in libs/Trust.Platform.Hosting): JSON lines in Production unless
        // Logging:Console:FormatterName names another formatter.
        if (builder.Environment.IsProduction() && string.IsNullOrWhiteSpace(builder.Configuration["Logging:Console:FormatterName"]))
        {
            builder.Logging.AddJsonConsole(o =>
            {
                o.IncludeScopes = true;
                o.UseUtcTimestamp = true;
                o.TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";
            });
        }
    }

    public static void MapGateway(WebApplication app)
    {
        app.Use((context, next) =>
        {
            // RFC 9110 leaves sniffing to the browser; nosniff makes every answer (the services' included) be read as its declared type.
            context.Response.OnStarting(() =>
            {
                context.Response.Headers.XContentTypeOptions = "nosniff";
                return Task.CompletedTask;
            });
            return next(context);
        });
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.Use(ClientRateLimit.Spend);
        app.UseMiddleware<RequestTargetGuard>();
        app.UseRouting();
        app.UseRequestTimeouts();
        // Scalar at /docs: every service's contract, with the "authorise" step offering the documents' own schemes
        // (a bearer token from the identity provider, or an MIS vendor's X-Api-Key). Its assets are served from here,
        // not a CDN, and "try it" calls go straight to this gateway, never through Scalar's hosted proxy.
        app.MapScalarApiReference("/docs", options =>
        {
            options.Title = "Trust Platform API";
            foreach (var service in Services)
            {
                options.AddDocument(service, CultureInfo.InvariantCulture.TextInfo.ToTitleCase(service), $"/openapi/{service}.json", isDefault: service == Services[0]);
            }

            options.AddPreferredSecuritySchemes("bearer");
        });

        app.MapReverseProxy(proxy =>
        {
            proxy.Use(ForwardAsync);
            proxy.UseLoadBalancing();
        });
        app.MapGet("/health/live", () => Results.Ok(new { status = "Healthy" }));
        app.MapGet("/health/ready", ReadyAsync);
        app.MapGet("/openapi/{service}.json", OpenApiAsync);
    }

    /// <summary>Passes the service's answer through as it is; a failure to reach it becomes the gateway's own problem answer.</summary>
    private static async Task ForwardAsync(HttpContext context, Func<Task> next)
    {
        // A service's empty 401 or 404 is its answer, not the gateway's to dress up.
        if (context.Features.Get<IStatusCodePagesFeature>() is { } pages)
        {
            pages.Enabled = false;
        }

        await next();
        if (context.GetForwarderErrorFeature() is not { } failure || context.Response.HasStarted)
        {
            return;
        }

        // The request timeout cancels RequestAborted too: only a cancellation without it means the client left.
        var timedOut = failure.Error == ForwarderError.RequestTimedOut ||
                       context.Features.Get<IHttpRequestTimeoutFeature>()?.RequestTimeoutToken.IsCancellationRequested == true;
        if (context.RequestAborted.IsCancellationRequested && !timedOut)
        {
            return;
        }

        var service = context.GetRouteModel().Config.RouteId;
        var task = Unwrap(failure.Exception) switch
        {
            BadHttpRequestException bad => GatewayProblems.WriteAsync(context, bad.StatusCode,
                bad.StatusCode == StatusCodes.Status413PayloadTooLarge ? "Request body too large" : "The request is not valid", bad.Message),
            _ when timedOut => GatewayProblems.WriteAsync(context, StatusCodes.Status504GatewayTimeout, "The service did not answer in time", $"The {service} service did not answer in time."),
            _ when failure.Error is ForwarderError.RequestBodyClient or ForwarderError.RequestBodyCanceled =>
                GatewayProblems.WriteAsync(context, StatusCodes.Status400BadRequest, "The request body could not be read"),
            _ => GatewayProblems.WriteAsync(context, StatusCodes.Status502BadGateway, "The service is not reachable", $"The {service} service is not reachable."),
        };
        await task;
    }

    private static Exception? Unwrap(Exception? exception) => exception switch
    {
        AggregateException aggregate => aggregate.InnerExceptions.Select(Unwrap).FirstOrDefault(e => e is BadHttpRequestException) ?? aggregate,
        { InnerException: { } inner } when exception is not BadHttpRequestException => Unwrap(inner) is BadHttpRequestException bad ? bad : exception,
        _ => exception,
    };

    /// <summary>Ready when every service is ready.</summary>
    private static async Task<IResult> ReadyAsync(IHttpClientFactory clients, IConfiguration configuration, CancellationToken cancellationToken)
    {
        var client = clients.CreateClient("services");
        var destinations = FixedRoutes.Destinations(configuration);
        var checks = await Task.WhenAll(Services.Select(async s =>
        {
            try
            {
                using var response = await client.GetAsync(new Uri(destinations[s], "/health/ready"), cancellationToken);
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
            var json = JsonNode.Parse(await client.GetStringAsync(new Uri(FixedRoutes.Destinations(configuration)[service], "/openapi/v1.json"), cancellationToken))!.AsObject();
            json["servers"] = new JsonArray(new JsonObject { ["url"] = "/" + service });
            return json.ToJsonString();
        });
        return Results.Text(document!, "application/json");
    }
}
