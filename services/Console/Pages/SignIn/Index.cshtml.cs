using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;
using Trust.Platform.Console.SignIn;

namespace Trust.Platform.Console.Pages.SignIn;

/// <summary>
/// With an OIDC issuer this page hands over to it (code + PKCE). In local development it lists the demo trust's people
/// and signs in as the one chosen with a token from Policy's development minter.
/// </summary>
public sealed class IndexModel(ConsoleSignIn signIn, IOptions<ConsoleOptions> options, DevTokens tokens, TimeProvider time) : PageModel
{
    public bool Demo => signIn.Mode == SignInMode.Demo;

    public IReadOnlyList<DemoUser> Users => options.Value.DemoUsers;

    public string? Error { get; private set; }

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public IActionResult OnGet() =>
        Demo ? Page() : Challenge(new AuthenticationProperties { RedirectUri = SafeReturnUrl() });

    public async Task<IActionResult> OnPostAsync(string? subject, CancellationToken ct)
    {
        if (!Demo)
        {
            return NotFound();
        }

        var user = Users.FirstOrDefault(u => u.Subject == subject);
        if (user is null)
        {
            Error = "Choose a demo user";
            return Page();
        }

        var token = await tokens.MintAsync(user, ct);
        var identity = new ClaimsIdentity(
            [new Claim("sub", user.Subject), new Claim(ClaimTypes.Name, user.Name)],
            CookieAuthenticationDefaults.AuthenticationScheme, ClaimTypes.Name, ClaimTypes.Role);
        var properties = new AuthenticationProperties
        {
            IssuedUtc = time.GetUtcNow(),
            ExpiresUtc = time.GetUtcNow() + options.Value.SessionLifetime,
        };
        properties.StoreTokens([new AuthenticationToken { Name = "access_token", Value = token }]);
        await HttpContext.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, new ClaimsPrincipal(identity), properties);
        return LocalRedirect(SafeReturnUrl());
    }

    /// <summary>Only a path of this site: an absolute URL in returnUrl would make the sign-in an open redirect.</summary>
    private string SafeReturnUrl() => ReturnUrl is { } url && Url.IsLocalUrl(url) ? url : "/";
}
