using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Policy.Demo;
using Trust.Platform.TestSupport;

namespace Trust.Platform.Console.Tests;

/// <summary>
/// Issue 17's API keys on the console's pages in Chromium: the CEO is refused a key without a name (next to the field),
/// creates one and sees its secret once (never in a URL, never cached, never on the list), the secret works against the
/// API, the CEO revokes it and the API refuses it within seconds; another trust's key and Mellers' headteacher get the
/// console's 404 page.
/// </summary>
[Collection(ConsoleCollection.Name)]
public sealed class ApiKeyPagesTests(ConsoleFixture fixture)
{
    private static PageGetByRoleOptions Named(string name) => new() { Name = name, Exact = true };

    [Fact]
    public async Task The_ceo_creates_a_key_sees_its_secret_once_and_revokes_it_and_the_api_refuses_it_afterwards()
    {
        var name = $"Console MIS {Guid.NewGuid():N}";
        await using var ceo = await ConsoleBrowser.SignInAsync(fixture, "AET chief executive", "ceo-keys");
        await ceo.ClickAsync(ceo.Page.GetByRole(AriaRole.Link, Named("API keys")), "api-keys");
        (await ceo.HeadingAsync()).Should().Be("API keys");
        await ceo.ClickAsync(ceo.Page.GetByRole(AriaRole.Link, Named("Create an API key")), "api-keys-new");
        (await ceo.HeadingAsync()).Should().Be("Create an API key");

        // No name: the API refuses it, and its reason is shown next to the field; the scope chosen stays chosen.
        await ceo.Page.GetByLabel("Read the trust and its schools").CheckAsync();
        await ceo.ClickAsync(ceo.Page.GetByRole(AriaRole.Button, Named("Create the key")), "api-keys-new-refused");
        (await ceo.Page.TitleAsync()).Should().StartWith("Error:");
        (await ceo.Page.Locator("#name-error").TextContentAsync()).Should().Contain("Required");
        (await ceo.Page.Locator(".govuk-error-summary a[href='#name']").CountAsync()).Should().Be(1);
        (await ceo.Page.GetByLabel("Read the trust and its schools").IsCheckedAsync()).Should().BeTrue("what was chosen stays to correct");

        // Created: the secret is in the POST's own answer, which no cache may keep, and in no URL.
        await ceo.Page.Locator("#name").FillAsync(name);
        var answer = await ceo.Page.RunAndWaitForResponseAsync(
            () => ceo.ClickAsync(ceo.Page.GetByRole(AriaRole.Button, Named("Create the key")), "api-keys-created"),
            r => r.Request.Method == "POST" && r.Url.EndsWith("/trust/api-keys/new", StringComparison.Ordinal));
        (await ceo.HeadingAsync()).Should().Be("API key created");
        (await answer.HeaderValueAsync("cache-control")).Should().Contain("no-store");
        var secret = (await ceo.Page.Locator("#secret").TextContentAsync())!.Trim();
        secret.Should().NotBeNullOrEmpty();
        (await ceo.Page.Locator(".govuk-warning-text").TextContentAsync()).Should().Contain("will not be shown again");
        ceo.Page.Url.Should().NotContain(secret);

        // The secret is a working key: Policy lists the trust's schools to it.
        using var integration = fixture.Policy.ClientWithKey(secret);
        (await integration.GetAsync("/v1/schools")).StatusCode.Should().Be(HttpStatusCode.OK, "the key shown is the key issued");

        // The list never shows the secret again, only the key's prefix.
        (await ceo.OpenAsync("/trust/api-keys")).Should().Be(200);
        (await ceo.Page.ContentAsync()).Should().NotContain(secret);
        var row = ceo.Page.Locator("tr", new PageLocatorOptions { Has = ceo.Page.GetByRole(AriaRole.Rowheader, Named(name)) });
        (await row.CountAsync()).Should().Be(1);
        var prefix = (await row.Locator("code").TextContentAsync())!.Trim();
        secret.Should().Contain(prefix, "the list names the key by its prefix");
        (await row.TextContentAsync()).Should().Contain("Active").And.Contain("directory:read");

        // Revoked after a confirmation page; the list shows it revoked, and the API refuses the secret within 5 s.
        await ceo.ClickAsync(row.GetByRole(AriaRole.Link, new LocatorGetByRoleOptions { Name = $"Revoke {name}", Exact = true }), "api-keys-revoke");
        (await ceo.HeadingAsync()).Should().Be($"Revoke {name}");
        await ceo.ClickAsync(ceo.Page.GetByRole(AriaRole.Button, Named("Revoke the key")), "api-keys-revoked");
        (await ceo.HeadingAsync()).Should().Be("API keys");
        (await ceo.Page.Locator(".govuk-notification-banner").TextContentAsync()).Should().Contain($"API key {name} revoked");
        (await row.TextContentAsync()).Should().Contain("Revoked").And.NotContain("Active");
        (await row.GetByRole(AriaRole.Link).CountAsync()).Should().Be(0, "a revoked key has nothing left to revoke");
        var refused = await Eventually.Until(
            async () => (await integration.GetAsync("/v1/schools")).StatusCode, s => s == HttpStatusCode.Unauthorized, TimeSpan.FromSeconds(5), "a revoked key is refused");
        refused.Should().Be(HttpStatusCode.Unauthorized);
        (await ceo.OpenAsync("/trust/api-keys/new")).Should().Be(200);
        (await ceo.Page.ContentAsync()).Should().NotContain(secret, "a new form shows no earlier secret");
    }

    [Fact]
    public async Task Another_trusts_key_and_a_headteacher_get_the_404_page()
    {
        // Another trust, onboarded by a platform operator, with a key of its own.
        using var operatorClient = fixture.Policy.ClientFor(new DevUser("op-keys", "Operator", null, [Roles.PlatformOperator]));
        var trust = await operatorClient.PostAsJsonAsync("/v1/trusts", new { name = $"Other Trust {Guid.NewGuid():N}", firstAdmin = new { displayName = "Other admin", email = "admin@other-trust.example" } });
        await Http.EnsureSuccessAsync(trust);
        var trustId = (await trust.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<Guid>();
        using var otherAdmin = fixture.Policy.ClientFor(new DevUser("other-admin-keys", "Other admin", trustId, [Roles.TrustAdmin]));
        var issued = await otherAdmin.PostAsJsonAsync("/v1/api-keys", new { name = "Other trust's MIS", scopes = new[] { Scopes.DirectoryRead } });
        await Http.EnsureSuccessAsync(issued);
        var otherKey = (await issued.Content.ReadFromJsonAsync<JsonObject>())!["key"]!["id"]!.GetValue<Guid>();

        await using var ceo = await ConsoleBrowser.SignInAsync(fixture, "AET chief executive", "ceo-keys-other");
        foreach (var path in new[] { $"/trust/api-keys/{otherKey}/revoke", $"/trust/api-keys/{Guid.NewGuid()}/revoke" })
        {
            (await ceo.OpenAsync(path)).Should().Be(404, $"{path} is not a key of the CEO's trust");
            (await ceo.HeadingAsync()).Should().Be("Page not found");
            (await ceo.Page.ContentAsync()).Should().NotContain("Other trust's MIS");
        }

        // A revoke form posted for the other trust's key (the CEO's own key's form, pointed at it) is the 404 page too,
        // and revokes nothing.
        using var ceoApi = fixture.Policy.ClientFor(DemoSeeder.Users().Single(u => u.Name == "AET chief executive"));
        var own = await ceoApi.PostAsJsonAsync("/v1/api-keys", new { name = $"Console own {Guid.NewGuid():N}", scopes = new[] { Scopes.DirectoryRead } });
        await Http.EnsureSuccessAsync(own);
        var ownKey = (await own.Content.ReadFromJsonAsync<JsonObject>())!["key"]!["id"]!.GetValue<Guid>();
        (await ceo.OpenAsync($"/trust/api-keys/{ownKey}/revoke")).Should().Be(200);
        await ceo.Page.EvaluateAsync("path => { document.querySelector('main form').action = path; }", $"/trust/api-keys/{otherKey}/revoke");
        await ceo.ClickAsync(ceo.Page.GetByRole(AriaRole.Button, Named("Revoke the key")), "api-keys-revoke-other-trust");
        (await ceo.HeadingAsync()).Should().Be("Page not found");
        foreach (var (client, key) in new[] { (otherAdmin, otherKey), (ceoApi, ownKey) })
        {
            var read = await client.GetAsync($"/v1/api-keys/{key}");
            await Http.EnsureSuccessAsync(read);
            (await read.Content.ReadFromJsonAsync<JsonObject>())!["revokedAt"].Should().BeNull("the refused form revoked nothing");
        }

        (await ceo.OpenAsync("/trust/api-keys")).Should().Be(200);
        (await ceo.Page.ContentAsync()).Should().NotContain("Other trust's MIS");

        await using var head = await ConsoleBrowser.SignInAsync(fixture, "Mellers Primary School headteacher", "mellers-head-keys");
        (await head.Page.GetByRole(AriaRole.Link, Named("API keys")).CountAsync()).Should().Be(0, "the start page links the keys for trust admins only");
        foreach (var path in new[] { "/trust/api-keys", "/trust/api-keys/new", $"/trust/api-keys/{otherKey}/revoke" })
        {
            (await head.OpenAsync(path)).Should().Be(404, $"{path} is a trust admin's page");
            (await head.HeadingAsync()).Should().Be("Page not found");
        }
    }
}
