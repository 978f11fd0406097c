using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Npgsql;
using Trust.Platform.Hosting.Http;
using Trust.Platform.Policy.Infrastructure;
using Trust.Platform.Policy.Model;

namespace Trust.Platform.Policy.Tests;

/// <summary>What <c>Idempotent()</c> decides around a handler: the key's claim and the handler's writes commit or roll back together.</summary>
[Collection(PolicyCollection.Name)]
public sealed class IdempotencyTransactionTests(PolicyFixture fixture)
{
    private const string FailingName = "Fails After Saving Academy";

    [Fact]
    public async Task A_handler_that_fails_after_saving_leaves_neither_its_row_nor_the_keys_claim()
    {
        await using var failing = fixture.Policy.WithWebHostBuilder(b => b.ConfigureTestServices(services =>
            services.ConfigureDbContext<PolicyDbContext>(o => o.AddInterceptors(new FailsAfterSaving()))));
        using var client = failing.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", fixture.Policy.Token(fixture.TrustAdmin(fixture.TrustA)));
        var key = Guid.NewGuid().ToString();
        var request = new HttpRequestMessage(HttpMethod.Post, "/v1/schools") { Content = JsonContent.Create(new { name = FailingName, urn = "100077", phase = "primary" }) };
        request.Headers.Add(IdempotencyClaim.HeaderName, key);

        var response = await client.SendAsync(request);

        response.StatusCode.Should().Be(HttpStatusCode.InternalServerError);
        await using var connection = new NpgsqlConnection(fixture.Servers.Database.OwnerConnectionString);
        await connection.OpenAsync();
        (await CountAsync(connection, "SELECT count(*) FROM policy.schools WHERE urn = $1", "100077")).Should().Be(0, "the school was saved inside the claim's transaction");
        (await CountAsync(connection, "SELECT count(*) FROM policy.idempotency_requests WHERE key = $1", key)).Should().Be(0, "a failed request records no answer");
    }

    [Fact]
    public async Task A_key_longer_than_the_limit_is_refused_naming_the_header()
    {
        using var client = fixture.Policy.ClientFor(fixture.TrustAdmin(fixture.TrustA));
        var request = new HttpRequestMessage(HttpMethod.Post, "/v1/schools") { Content = JsonContent.Create(new { name = "Long Key Academy", urn = "100078", phase = "primary" }) };
        request.Headers.Add(IdempotencyClaim.HeaderName, new string('k', IdempotencyClaim.MaxKeyLength + 1));

        var response = await client.SendAsync(request);

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await response.Content.ReadFromJsonAsync<HttpValidationProblem>())!.Errors.Should().ContainKey(IdempotencyClaim.HeaderName);
    }

    private static async Task<long> CountAsync(NpgsqlConnection connection, string sql, string value)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.Add(new NpgsqlParameter { Value = value });
        return (long)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>A failure in the handler after its SaveChangesAsync has written (and, outside a transaction, would have committed) the school.</summary>
    private sealed class FailsAfterSaving : SaveChangesInterceptor
    {
        public override ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default) =>
            eventData.Context!.ChangeTracker.Entries<School>().Any(e => e.Entity.Name == FailingName)
                ? throw new InvalidOperationException("The handler failed after saving.")
                : base.SavedChangesAsync(eventData, result, cancellationToken);
    }
}
