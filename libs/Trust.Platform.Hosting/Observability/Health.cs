using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;
using Trust.Platform.Messaging.Outbox;

namespace Trust.Platform.Hosting.Observability;

/// <summary>Ready only when the service's database answers as the app role.</summary>
public sealed class PostgresHealthCheck(NpgsqlDataSource dataSource) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            await using var command = new NpgsqlCommand("SELECT 1", connection);
            await command.ExecuteScalarAsync(cancellationToken);
            return HealthCheckResult.Healthy();
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException or System.Net.Sockets.SocketException)
        {
            return HealthCheckResult.Unhealthy("PostgreSQL is not reachable.");
        }
    }
}

/// <summary>
/// The outbox dispatcher's passes (its own role and connection, so <see cref="PostgresHealthCheck"/> cannot see them):
/// after <see cref="FailuresBeforeDegraded"/> failed passes in a row, readiness says Degraded (still 200: the service
/// takes requests, and what they commit waits in the outbox, undelivered, until the dispatcher recovers), so monitoring
/// sees an outbox that cannot drain.
/// </summary>
public sealed class OutboxHealthCheck(OutboxHealth outbox) : IHealthCheck
{
    public const int FailuresBeforeDegraded = 3;

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(outbox.ConsecutiveFailures >= FailuresBeforeDegraded
            ? HealthCheckResult.Degraded(
                $"The outbox dispatcher has failed {outbox.ConsecutiveFailures} passes in a row since {outbox.FailingSince:O}: events wait in the outbox until it reaches its database again.")
            : HealthCheckResult.Healthy());
}

public static class HealthResponse
{
    public static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        var body = new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(e => e.Key, e => new { status = e.Value.Status.ToString(), e.Value.Description }),
        };
        return context.Response.WriteAsync(JsonSerializer.Serialize(body, JsonSerializerOptions.Web));
    }
}
