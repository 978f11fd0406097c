using System.Globalization;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using Trust.Platform.Data;
using Trust.Platform.Data.Migrations;
using Trust.Platform.Data.Tenancy;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Hosting.Endpoints;
using Trust.Platform.Hosting.Http;
using Trust.Platform.Hosting.Observability;
using Trust.Platform.Hosting.Time;
using Trust.Platform.Messaging;

namespace Trust.Platform.Hosting;

/// <summary>What the defaults need to know about a service: its name (queues, telemetry), schema and migrations.</summary>
/// <param name="OwnsDirectory">True for Policy, which owns trusts, schools and API keys; the others keep replicas.</param>
public sealed record PlatformServiceInfo(string Name, string Schema, Assembly Assembly, bool OwnsDirectory = false, string Description = "")
{
    /// <summary>Platform tables (outbox, inbox, API keys, the directory replica) first, then the service's own numbered scripts.</summary>
    public IReadOnlyList<MigrationScript> Migrations =>
    [
        .. MessagingExtensions.Migrations
            .Concat(MigrationScript.Renumbered(MigrationScript.FromAssembly(typeof(ServiceDefaults).Assembly, "platform", "Core."),
                new Dictionary<string, string> { ["0010_api_key_revocations_and_expiry.sql"] = "0008_api_key_revocations_and_expiry.sql" }))
            .Concat(OwnsDirectory ? [] : MigrationScript.Renumbered(MigrationScript.FromAssembly(typeof(ServiceDefaults).Assembly, "platform", "Replica."),
                new Dictionary<string, string> { ["0006_school_directory.sql"] = "0004_school_directory.sql" }))
            .OrderBy(s => s.Name, StringComparer.Ordinal),
        .. MigrationScript.FromAssembly(Assembly, Name),
    ];
}

public sealed class LimitsOptions
{
    public long MaxRequestBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>Requests a minute for a signed-in user; API keys carry their own limit.</summary>
    public int UserPermitsPerMinute { get; set; } = 6000;

    /// <summary>Requests a minute per client address that are not authenticated (no credentials, or credentials that fail).</summary>
    public int AnonymousPermitsPerMinute { get; set; } = 300;

    /// <summary>
    /// Proxies (addresses or CIDR networks) besides loopback whose <c>X-Forwarded-For</c> names the client for that
    /// limit: where the gateway runs (its pods' network on Kubernetes).
    /// </summary>
    public string[] TrustedProxies { get; set; } = [];
}

public static class ServiceDefaults
{
    public static WebApplicationBuilder AddServiceDefaults<TContext>(this WebApplicationBuilder builder, PlatformServiceInfo service)
        where TContext : TenantDbContext
    {
        var services = builder.Services;
        var configuration = builder.Configuration;

        services.AddSingleton(service);
        // The one clock of the process (docs/adr/0007): Clock:Now shifts it outside Production and is refused in Production.
        services.AddSingleton(PlatformClock.Create(configuration, builder.Environment));
        services.AddOptions<MemoryCacheOptions>().Configure<TimeProvider>((o, time) => o.Clock = new TimeProviderCacheClock(time));
        services.AddOptions<DatabaseOptions>()
            .Configure(o =>
            {
                configuration.GetSection("Database").Bind(o);
                o.Schema = service.Schema;
                o.AppConnectionString = configuration.GetConnectionString("App") ?? "";
                o.OwnerConnectionString = configuration.GetConnectionString("Owner");
            })
            .Validate(o => !string.IsNullOrWhiteSpace(o.AppConnectionString), "ConnectionStrings:App is required.")
            .ValidateOnStart();
        services.AddOptions<LimitsOptions>().Bind(configuration.GetSection("Limits"));

        services.AddSingleton(sp => new NpgsqlDataSourceBuilder(sp.GetRequiredService<IOptions<DatabaseOptions>>().Value.AppConnectionString)
            .EnableDynamicJson()
            .Build());
        services.AddScoped<TenantContext>();

        // Runs before the bus and the outbox dispatcher start (hosted services start in order).
        services.AddHostedService<MigrationHostedService>();
        services.AddDbContext<TContext>((sp, o) => o
            .UseNpgsql(sp.GetRequiredService<NpgsqlDataSource>())
            .AddInterceptors(TenantConnectionInterceptor.Instance)
            .UseOutboxSignal(sp)
            // A service's own interceptors (Policy's mail signal), registered as IInterceptor singletons.
            .AddInterceptors(sp.GetServices<Microsoft.EntityFrameworkCore.Diagnostics.IInterceptor>()));
        // The request's unit of work under its platform type, for what every service shares (the Idempotency-Key claim).
        services.AddScoped<TenantDbContext>(sp => sp.GetRequiredService<TContext>());
        services.AddPlatformMessaging(configuration, service.Name, service.Assembly, bus =>
        {
            // Every service, Policy too, resolves members' roles from its own replica of Policy's people.
            bus.AddConsumer<People.PeopleReplicaConsumer>();
            if (!service.OwnsDirectory)
            {
                bus.AddConsumer<Directory.DirectoryReplicaConsumer>();
            }
        });

        services.AddPlatformTelemetry(builder.Logging, configuration, service.Name);
        builder.Logging.AddPlatformConsole(builder.Environment, configuration);
        services.AddSingleton<BrokerHealthCheck>();
        services.AddHealthChecks().AddCheck<PostgresHealthCheck>("postgres", tags: ["ready"]).AddCheck<OutboxHealthCheck>("outbox", tags: ["ready"])
            .AddCheck<BrokerHealthCheck>("broker", tags: ["ready"]);

        services.AddProblemDetails(o => o.CustomizeProblemDetails = ProblemDetailsSetup.Customize);
        services.AddExceptionHandler<PlatformExceptionHandler>();
        // Binding failures throw so that the exception handler can name the field in problem details.
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.ConfigureHttpJsonOptions(o => ConfigureJson(o.SerializerOptions));

        services.AddPlatformAuth(configuration, replicatesKeys: !service.OwnsDirectory);
        services.AddSingleton(new CallerRateLimiter(CallerBudget));
        // Browsers may call a service from another origin only when configured (Cors:AllowedOrigins); none by default.
        services.AddCors(o => o.AddDefaultPolicy(p => p
            .WithOrigins(configuration.GetSection("Cors:AllowedOrigins").Get<string[]>() ?? [])
            .WithHeaders("Authorization", "Content-Type", "If-Match", "Idempotency-Key", ApiKeySecret.HeaderName)
            .WithExposedHeaders("ETag", "Location", "Retry-After", RateLimitHeaders.Limit, RateLimitHeaders.Remaining, RateLimitHeaders.Reset)
            .WithMethods("GET", "POST", "PUT", "DELETE")));
        services.AddPlatformEndpoints(service.Assembly);
        services.AddPlatformContract($"Trust Platform {CultureInfo.InvariantCulture.TextInfo.ToTitleCase(service.Name)} API", service.Description);
        return builder;
    }

    /// <summary>
    /// Strict request bodies: unknown (and so server-owned) fields, nulls in non-nullable fields and missing required fields are
    /// errors. A constructor parameter is required when it has no default value and may not be null; one that may be null may
    /// also be left out, as a generated client leaves out a null (the contract says the same: RequiredConstructorParameters).
    /// </summary>
    public static void ConfigureJson(JsonSerializerOptions options)
    {
        options.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
        options.RespectNullableAnnotations = true;
        options.RespectRequiredConstructorParameters = true;
        options.TypeInfoResolver = (options.TypeInfoResolver ?? new DefaultJsonTypeInfoResolver()).WithAddedModifier(NullableParametersOptional);
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower, allowIntegerValues: false));
    }

    private static void NullableParametersOptional(JsonTypeInfo type)
    {
        foreach (var property in type.Properties)
        {
            if (property.AssociatedParameter is { IsNullable: true, HasDefaultValue: false })
            {
                property.IsRequired = false;
            }
        }
    }

    public static WebApplication MapServiceDefaults(this WebApplication app)
    {
        // The migrate verb serves nothing: mapping would construct every endpoint, and with them every secret the service
        // needs to serve (webhook key, evidence key), which the migration job is not given (deploy/k8s: owner Secret only).
        if (IsMigrateVerb(Environment.GetCommandLineArgs().Skip(1).ToArray()))
        {
            return app;
        }

        if (app.Services.GetRequiredService<TimeProvider>() is ShiftedTimeProvider shifted)
        {
            ClockLog.Shifted(app.Logger, shifted.GetUtcNow(), shifted.Offset);
        }

        app.UseMiddleware<SecurityHeadersMiddleware>();
        app.UseExceptionHandler();
        app.UseStatusCodePages(StatusCodeProblems.WriteAsync);
        var limits = app.Services.GetRequiredService<IOptions<LimitsOptions>>().Value;
        app.UseRouting();
        app.UseCors();
        app.Use(DevTokenEndpoint.RefuseNonLocalCallers);
        app.UseMiddleware<RequestBodyLimitMiddleware>(limits.MaxRequestBodyBytes);
        // An address that spent its anonymous budget (failed tokens and keys count) is refused before authentication.
        app.Use(AnonymousRateLimit.RefuseSpentAddresses);
        app.UseAuthentication();
        app.Use(async (context, next) =>
        {
            // The tenant comes from the authenticated principal only (JWT claim or the API key's row).
            if (context.Principal().TrustId is { } trustId)
            {
                context.RequestServices.GetRequiredService<TenantContext>().Set(trustId);
            }

            await next(context);
        });
        app.Use(AnonymousRateLimit.SpendUnlessAuthenticated);
        app.Use(CallerRateLimiter.SpendCallerBudget);
        app.Use(AddRateLimitHeaders);
        app.Use(AuthSetup.DenyUndeclaredEndpoints);
        app.UseAuthorization();

        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false, ResponseWriter = HealthResponse.WriteAsync }).AllowAnonymous();
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains("ready"), ResponseWriter = HealthResponse.WriteAsync }).AllowAnonymous();
        app.UsePlatformEndpoints();

        var auth = app.Services.GetRequiredService<IOptions<AuthOptions>>().Value;
        if (auth.EnableDevTokens && !string.IsNullOrWhiteSpace(auth.Authority))
        {
            // Tokens the platform mints itself must never sit beside a real identity provider's.
            throw new InvalidOperationException(
                "Auth:EnableDevTokens is true while Auth:Authority names an identity provider. The development token minter " +
                "must never run beside real sign-in: remove Auth:EnableDevTokens (or Auth:Authority for a local run).");
        }

        if (auth.EnableDevTokens && app.Environment.IsDevelopment())
        {
            DevTokenEndpoint.Map(app);
        }

        return app;
    }

    /// <summary>A signed-in caller's budget: per API key (its own limit) or per user; null for an anonymous caller (limited per address before authentication).</summary>
    private static (string? Key, int PerMinute) CallerBudget(HttpContext context)
    {
        var limits = context.RequestServices.GetRequiredService<IOptions<LimitsOptions>>().Value;
        var principal = context.Principal();
        return principal switch
        {
            { IsApiKey: true } => ("key:" + principal.ApiKeyId, principal.RateLimitPerMinute ?? limits.UserPermitsPerMinute),
            { IsAuthenticated: true } => ("user:" + principal.TrustId + ":" + principal.Subject, limits.UserPermitsPerMinute),
            _ => (null, 0),
        };
    }

    /// <summary>After the limiter took its permit: the caller's standing on the answer, however the request then ends.</summary>
    private static Task AddRateLimitHeaders(HttpContext context, Func<Task> next)
    {
        if (context.Features.Get<CallerStanding>() is { } standing)
        {
            context.Response.OnStarting(() =>
            {
                RateLimitHeaders.Set(context.Response, standing.PerMinute, standing.Statistics);
                return Task.CompletedTask;
            });
        }

        return next();
    }

    /// <summary>True when the process was started as <c>&lt;service&gt; migrate</c>.</summary>
    public static bool IsMigrateVerb(string[] args) => args is ["migrate", ..];

    /// <summary>
    /// Runs the process: <c>migrate</c> applies migrations and exits; anything else serves the API.
    /// </summary>
    public static async Task<int> RunPlatformAsync(this WebApplication app, string[] args)
    {
        if (IsMigrateVerb(args))
        {
            var applied = await MigrationHostedService.MigrateWithOwnerAsync(app.Services, CancellationToken.None);
            Console.WriteLine($"{applied.Count} migration(s) applied.");
            return 0;
        }

        await app.RunAsync();
        return 0;
    }
}

/// <summary>Applies pending migrations before the service starts when <c>Database:MigrateOnStartup</c> is true.</summary>
public sealed class MigrationHostedService(IServiceProvider services, IOptions<DatabaseOptions> options) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (options.Value.MigrateOnStartup)
        {
            await MigrateAsync(services, cancellationToken);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public static Task<IReadOnlyList<string>> MigrateAsync(IServiceProvider services, CancellationToken cancellationToken) =>
        MigrateAsync(services, services.GetRequiredService<IOptions<DatabaseOptions>>().Value, cancellationToken);

    /// <summary>
    /// The <c>migrate</c> verb: the owner's connection string and the role names straight from configuration, without
    /// the checks of a serving process (<c>ConnectionStrings:App</c>), so the migration job holds the owner's login alone.
    /// </summary>
    public static Task<IReadOnlyList<string>> MigrateWithOwnerAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        var configuration = services.GetRequiredService<IConfiguration>();
        var database = new DatabaseOptions();
        configuration.GetSection("Database").Bind(database);
        database.Schema = services.GetRequiredService<PlatformServiceInfo>().Schema;
        database.OwnerConnectionString = configuration.GetConnectionString("Owner");
        return MigrateAsync(services, database, cancellationToken);
    }

    private static Task<IReadOnlyList<string>> MigrateAsync(IServiceProvider services, DatabaseOptions database, CancellationToken cancellationToken)
    {
        var service = services.GetRequiredService<PlatformServiceInfo>();
        if (string.IsNullOrWhiteSpace(database.OwnerConnectionString))
        {
            throw new InvalidOperationException("ConnectionStrings:Owner is required to migrate.");
        }

        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger<MigrationRunner>();
        var runner = new MigrationRunner(database.OwnerConnectionString, database.Schema, database.AppRole, logger, database.DispatcherRole);
        return runner.ApplyAsync(service.Migrations, cancellationToken);
    }
}

/// <summary>
/// POST /dev/tokens: mints a token for a demo user. Mapped only in Development with Auth:EnableDevTokens (and
/// never beside Auth:Authority), and answers only a caller on this machine that no proxy forwarded: anyone
/// else, the gateway included, gets the 404 of an endpoint that does not exist, before the body is read.
/// </summary>
public static class DevTokenEndpoint
{
    public sealed record DevTokenRequest(string Subject, string Name, Guid? TrustId, IReadOnlyList<string> Roles, Guid? StaffId = null);

    public sealed record DevTokenResponse(string AccessToken, string TokenType);

    /// <summary>Endpoint metadata: only <see cref="IsLocalCaller"/> callers reach the endpoint.</summary>
    public sealed class LocalCallersOnly
    {
        public static readonly LocalCallersOnly Instance = new();
    }

    /// <summary>Runs after routing and before the body is read, so a remote caller learns nothing, not even a 400.</summary>
    public static Task RefuseNonLocalCallers(HttpContext context, Func<Task> next)
    {
        if (context.GetEndpoint()?.Metadata.GetMetadata<LocalCallersOnly>() is null || IsLocalCaller(context))
        {
            return next();
        }

        return Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found").ExecuteAsync(context);
    }

    /// <summary>
    /// A loopback connection that carries no sign of a proxy: a reverse proxy on the same machine (the gateway)
    /// connects over loopback too, and says so with these headers (RFC 7239, the X-Forwarded-* convention, RFC 9110 Via).
    /// </summary>
    public static bool IsLocalCaller(HttpContext context)
    {
        var address = context.Connection.RemoteIpAddress;
        if (address is null || !System.Net.IPAddress.IsLoopback(address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address))
        {
            return false;
        }

        return !context.Request.Headers.Keys.Any(name =>
            name.Equals("Forwarded", StringComparison.OrdinalIgnoreCase) ||
            name.StartsWith("X-Forwarded-", StringComparison.OrdinalIgnoreCase) ||
            name.StartsWith("X-Original-", StringComparison.OrdinalIgnoreCase) ||
            name.Equals("X-Real-IP", StringComparison.OrdinalIgnoreCase) ||
            name.Equals("Via", StringComparison.OrdinalIgnoreCase));
    }

    public static void Map(IEndpointRouteBuilder app) =>
        app.MapPost("/dev/tokens", (DevTokenRequest request, DevTokenIssuer issuer) =>
            {
                if (DevTokenIssuer.RolesProblem(request.Roles) is { } problem)
                {
                    return Results.Problem(PlatformExceptionHandler.Validation(400, "roles", problem));
                }

                var token = issuer.Mint(new DevUser(request.Subject, request.Name, request.TrustId, request.Roles, request.StaffId));
                return Results.Ok(new DevTokenResponse(token, "Bearer"));
            })
            .AllowAnonymous()
            .WithMetadata(LocalCallersOnly.Instance)
            .WithTags("Development")
            .ExcludeFromDescription();
}

internal static partial class ClockLog
{
    [LoggerMessage(EventId = 1010, Level = LogLevel.Warning, Message = "Clock override: this service's clock reads {Now:O} ({Offset} from the system clock); never in Production")]
    public static partial void Shifted(ILogger logger, DateTimeOffset now, TimeSpan offset);
}
