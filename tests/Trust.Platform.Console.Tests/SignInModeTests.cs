using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;
using Trust.Platform.Console.SignIn;

namespace Trust.Platform.Console.Tests;

/// <summary>Which sign-in the console starts with (pure logic, no servers).</summary>
[Trait("Category", "Unit")]
public sealed class SignInModeTests
{
    private static HostingEnvironment In(string environment) => new() { EnvironmentName = environment };

    private static ConsoleOptions Options(string? authority, bool demo) => new()
    {
        Oidc = new OidcOptions { Authority = authority, ClientId = authority is null ? null : "console" },
        EnableDemoSignIn = demo,
        DevTokenUrl = new Uri("http://127.0.0.1:5101"),
    };

    [Fact]
    public void Demo_sign_in_beside_an_identity_provider_refuses_to_start() =>
        FluentActions.Invoking(() => SignInMode.Decide(Options("https://login.example", demo: true), In(Environments.Development)))
            .Should().Throw<InvalidOperationException>().WithMessage("*EnableDemoSignIn*Authority*");

    [Fact]
    public void Demo_sign_in_outside_development_refuses_to_start() =>
        FluentActions.Invoking(() => SignInMode.Decide(Options(null, demo: true), In(Environments.Production)))
            .Should().Throw<InvalidOperationException>().WithMessage("*Production*");

    [Fact]
    public void No_sign_in_configured_refuses_to_start() =>
        FluentActions.Invoking(() => SignInMode.Decide(Options(null, demo: false), In(Environments.Production)))
            .Should().Throw<InvalidOperationException>().WithMessage("No sign-in is configured*");

    [Fact]
    public void An_identity_provider_alone_signs_in_with_openid_connect() =>
        SignInMode.Decide(Options("https://login.example", demo: false), In(Environments.Production)).Should().Be(SignInMode.Oidc);

    [Fact]
    public void Demo_sign_in_alone_in_development_is_the_demo_page() =>
        SignInMode.Decide(Options(null, demo: true), In(Environments.Development)).Should().Be(SignInMode.Demo);
}
