using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Microsoft.Kiota.Http.HttpClientLibrary.Middleware;
using Trust.Platform.Console.Gateway;
using Trust.Platform.Console.SignIn;
using Trust.Platform.Hosting.Time;
using Trust.Platform.Hosting.Http;

namespace Trust.Platform.Console;

/// <summary>
/// The web console (docs/adr/0140): Razor Pages over the gateway, with the signed-in user's token and the typed clients
/// generated from the contracts. It holds no data of its own.
/// </summary>
public sealed class ConsoleService
{
    public static void AddConsole(WebApplicationBuilder builder)
    {
        var services = builder.Services;
        var options = builder.Configuration.GetSection("Console").Get<ConsoleOptions>() ?? new ConsoleOptions();
        var signIn = SignInMode.Decide(options, builder.Environment);
        services.AddOptions<ConsoleOptions>().Bind(builder.Configuration.GetSection("Console"));
        services.AddSingleton(new ConsoleSignIn(signIn));
        services.AddSingleton(PlatformClock.Create(builder.Configuration, builder.Environment));

        var authentication = services.AddAuthentication(o =>
            {
                o.DefaultScheme = CookieAuthenticationDefaults.AuthenticationScheme;
                o.DefaultChallengeScheme = signIn == SignInMode.Oidc ? OpenIdConnectDefaults.AuthenticationScheme : CookieAuthenticationDefaults.AuthenticationScheme;
            })
            .AddCookie(o =>
            {
                o.Cookie.Name = "tp-console";
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Lax;
                o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                o.ExpireTimeSpan = options.SessionLifetime;
                o.SlidingExpiration = false;
                o.LoginPath = "/sign-in";
                o.LogoutPath = "/sign-out";
                o.AccessDeniedPath = "/not-found";
            });
        if (signIn == SignInMode.Oidc)
        {
            authentication.AddOpenIdConnect(o =>
            {
                o.Authority = options.Oidc.Authority;
                o.ClientId = options.Oidc.ClientId;
                o.ClientSecret = options.Oidc.ClientSecret;
                o.ResponseType = "code";
                o.UsePkce = true;
                // The access token is what the console sends to the gateway on the user's behalf.
                o.SaveTokens = true;
                o.MapInboundClaims = false;
                o.Scope.Clear();
                foreach (var scope in new[] { "openid", "profile" }.Concat(options.Oidc.Scopes))
                {
                    o.Scope.Add(scope);
                }
            });
        }

        services.AddAuthorization();
        services.AddRazorPages(o =>
            {
                o.Conventions.AuthorizeFolder("/");
                o.Conventions.AllowAnonymousToPage("/SignIn/Index");
                o.Conventions.AllowAnonymousToPage("/NotFound");
                o.Conventions.AllowAnonymousToPage("/Error");
            })
            .AddMvcOptions(o => o.Filters.Add<ApiErrorFilter>());
        services.Configure<RouteOptions>(o => o.LowercaseUrls = true);

        services.AddHttpClient(GatewayClients.HttpClientName, (sp, http) =>
            http.BaseAddress = sp.GetRequiredService<IOptions<ConsoleOptions>>().Value.GatewayUrl
                ?? throw new InvalidOperationException("Console:GatewayUrl is required (the gateway every API call goes through)."))
            // Kiota's handler that hands response headers (the ETag an If-Match needs) to the caller that asks.
            .AddHttpMessageHandler(() => new HeadersInspectionHandler())
            // A GET that meets a dropped connection or a 502/503 is tried again; a form's POST is sent once.
            .AddPlatformResilience();
        services.AddHttpClient(DevTokens.HttpClientName);
        services.AddHttpContextAccessor();
        services.AddScoped<GatewayClients>();
        services.AddScoped<CurrentUser>();
        services.AddSingleton<DevTokens>();
    }

    public static void MapConsole(WebApplication app)
    {
        if (app.Services.GetRequiredService<IOptions<ConsoleOptions>>().Value.GatewayUrl is null)
        {
            throw new InvalidOperationException("Console:GatewayUrl is required (the gateway every API call goes through).");
        }

        app.UseExceptionHandler("/error");
        // An unknown page and an API 404 (another school's record) both end on the console's own 404 page.
        app.UseStatusCodePagesWithReExecute("/not-found");
        app.Use(async (context, next) =>
        {
            var headers = context.Response.Headers;
            headers.XContentTypeOptions = "nosniff";
            headers["Referrer-Policy"] = "same-origin";
            // No script at all: the pages work without JavaScript. A page may set its own (the document's print view).
            headers.ContentSecurityPolicy = "default-src 'self'; script-src 'none'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'self'";
            await next(context);
        });
        app.UseStaticFiles();
        app.UseRouting();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapRazorPages();
        app.MapGet("/health/live", () => Results.Text("Healthy")).AllowAnonymous();
    }
}
