using System.Text.Json;
using MassTransit;
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
/// Not ready until the service's consumers have been bound at the broker once (every receive endpoint started): from then on
/// an event published by another service reaches this one's queue. A service starts without waiting for RabbitMQ, so one
/// started while the broker is down is live, answers what needs only its database and keeps its events in the outbox; it
/// becomes ready once the broker answers (docs/adr/0009), instead of exiting and being restarted with a growing back-off.
/// Once bound this check stays healthy: a later outage is reported by MassTransit's own check (<c>masstransit</c>), and the
/// bus binds again by itself when the broker returns.
/// </summary>
public sealed class BrokerHealthCheck(IBusControl bus) : IHealthCheck
{
    private volatile bool _bound;

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!_bound && bus.CheckHealth().Status == BusHealthStatus.Healthy)
        {
            _bound = true;
        }

        return Task.FromResult(_bound
            ? HealthCheckResult.Healthy()
            : HealthCheckResult.Unhealthy("RabbitMQ has not been reached yet: the service's consumers are not bound, and its events wait in the outbox."));
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
