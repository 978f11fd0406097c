using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;
using Trust.Platform.Data;
using Trust.Platform.Data.Tenancy;
using Trust.Platform.Hosting.Http;

namespace Trust.Platform.Hosting.Auth;

/// <summary>A key as Policy holds it now: what a replica needs to authenticate it, its expiry and revocation. Never the key itself.</summary>
public sealed record ApiKeyState(
    Guid Id, Guid TrustId, string Name, string Prefix, byte[] Hash, IReadOnlyList<string> Scopes, IReadOnlyList<Guid> SchoolIds, int RateLimitPerMinute,
    DateTimeOffset CreatedAt, DateTimeOffset? ExpiresAt, DateTimeOffset? RevokedAt);

/// <summary>
/// One page of Policy's key change feed: every key issued, revoked or changed after the cursor the replica sent,
/// in the order the changes committed. <see cref="Cursor"/> is where the next call starts; <see cref="More"/> says
/// whether it should be made at once.
/// </summary>
public sealed record ApiKeyChanges(IReadOnlyList<ApiKeyState> Items, string Cursor, bool More);

/// <summary>
/// How a replica's key table changes, whether the news comes by event or by reconciliation: a revocation is a
/// tombstone (kept even when the key is not known yet) and nothing ever clears <c>revoked_at</c>.
/// </summary>
public static class ApiKeyReplica
{
    /// <summary>ApiKeyIssued: the key as issued, revoked at once when a tombstone is waiting for it; a replay changes nothing.</summary>
    public static async Task IssuedAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string schema, ApiKeyState key, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand($"""
            INSERT INTO {schema}.api_keys (id, trust_id, name, prefix, hash, scopes, school_ids, rate_limit_per_minute, created_at, expires_at, revoked_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10,
                    coalesce($11, (SELECT r.revoked_at FROM {schema}.api_key_revocations r WHERE r.key_id = $1)))
            ON CONFLICT (id) DO UPDATE SET revoked_at = coalesce({schema}.api_keys.revoked_at, excluded.revoked_at)
            """, connection, transaction);
        command.Parameters.Add(new NpgsqlParameter { Value = key.Id });
        command.Parameters.Add(new NpgsqlParameter { Value = key.TrustId });
        command.Parameters.Add(new NpgsqlParameter { Value = key.Name });
        command.Parameters.Add(new NpgsqlParameter { Value = key.Prefix });
        command.Parameters.Add(new NpgsqlParameter { Value = key.Hash });
        command.Parameters.Add(new NpgsqlParameter { Value = key.Scopes.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = key.SchoolIds.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Uuid });
        command.Parameters.Add(new NpgsqlParameter { Value = key.RateLimitPerMinute });
        command.Parameters.Add(new NpgsqlParameter { Value = key.CreatedAt });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)key.ExpiresAt ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)key.RevokedAt ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        await command.ExecuteNonQueryAsync(cancellationToken);
        if (key.RevokedAt is { } revokedAt)
        {
            await RevokedAsync(connection, transaction, schema, key.TrustId, key.Id, revokedAt, cancellationToken);
        }
    }

    /// <summary>ApiKeyRevoked: a tombstone first (the key may not have arrived yet), then the key's row if it has.</summary>
    public static async Task RevokedAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, string schema, Guid trustId, Guid keyId, DateTimeOffset revokedAt, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand($"""
            WITH tombstone AS (
                INSERT INTO {schema}.api_key_revocations (key_id, trust_id, revoked_at) VALUES ($1, $2, $3) ON CONFLICT (key_id) DO NOTHING)
            UPDATE {schema}.api_keys SET revoked_at = coalesce(revoked_at, $3) WHERE id = $1
            """, connection, transaction);
        command.Parameters.Add(new NpgsqlParameter { Value = keyId });
        command.Parameters.Add(new NpgsqlParameter { Value = trustId });
        command.Parameters.Add(new NpgsqlParameter { Value = revokedAt });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}

/// <summary>
/// A replica's second way to hear about keys (docs/adr/0006): at start and every
/// <see cref="ApiKeyOptions.ReconcileEvery"/>, it reads Policy's change feed from where it last stopped and
/// applies each key's state, so that a revocation (or a new key) arrives even when its event does not.
/// </summary>
public sealed partial class ApiKeyReconciler(
    IHttpClientFactory clients,
    ServiceCredentials credentials,
    NpgsqlDataSource dataSource,
    IOptions<DatabaseOptions> database,
    IOptions<ApiKeyOptions> options,
    ApiKeyCache cache,
    IHostEnvironment environment,
    TimeProvider time,
    ILogger<ApiKeyReconciler> logger) : BackgroundService
{
    public const string HttpClientName = "policy-api-keys";
    public const int PageSize = 500;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Where the next reconciliation starts in Policy's feed; null until the first one (which reads every key).</summary>
    private string? _cursor;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.Value.PolicyUrl is null)
        {
            if (!environment.IsDevelopment())
            {
                throw new InvalidOperationException("ApiKeys:PolicyUrl is required: without it a revoked key reaches this service only by event.");
            }

            NotConfigured(logger);
            return;
        }

        using var timer = new PeriodicTimer(options.Value.ReconcileEvery, time);
        do
        {
            try
            {
                var applied = await ReconcileAsync(stoppingToken);
                if (applied > 0)
                {
                    Reconciled(logger, applied);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                // Policy down or the network failing: keys keep working from the replica, and the next tick retries.
                Failed(logger, ex.GetType().Name, ex.Message);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>Reads the feed from the last cursor to its end and applies it; returns how many key states it applied.</summary>
    public async Task<int> ReconcileAsync(CancellationToken cancellationToken)
    {
        var client = clients.CreateClient(HttpClientName);
        var applied = 0;
        ApiKeyChanges page;
        do
        {
            var query = $"v1/api-keys/changes?limit={PageSize}" + (_cursor is null ? "" : "&after=" + Uri.EscapeDataString(_cursor));
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(options.Value.PolicyUrl!, query));
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await credentials.TokenAsync(cancellationToken));
            using var response = await client.SendAsync(request, cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                throw new HttpRequestException($"Policy answered {(int)response.StatusCode} to the key change feed.", null, response.StatusCode);
            }

            page = (await response.Content.ReadFromJsonAsync<ApiKeyChanges>(Json, cancellationToken))!;
            await ApplyAsync(page.Items, cancellationToken);
            applied += page.Items.Count;
            _cursor = page.Cursor;
        }
        while (page.More);

        return applied;
    }

    private async Task ApplyAsync(IReadOnlyList<ApiKeyState> keys, CancellationToken cancellationToken)
    {
        // Each trust's keys under that trust's row security, as the event consumer writes them.
        foreach (var trust in keys.GroupBy(k => k.TrustId))
        {
            await using var connection = await TenantSession.OpenAsync(dataSource, trust.Key, cancellationToken);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            foreach (var key in trust)
            {
                await ApiKeyReplica.IssuedAsync(connection, transaction, database.Value.Schema, key, cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
            foreach (var key in trust)
            {
                cache.Forget(key.Prefix);
                cache.ForgetKey(key.Id);
            }
        }
    }

    [LoggerMessage(EventId = 3002, Level = LogLevel.Warning, Message = "ApiKeys:PolicyUrl is not set: this replica learns of revoked keys only by event (allowed in Development only)")]
    private static partial void NotConfigured(ILogger logger);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Information, Message = "Reconciled {Count} API key state(s) with Policy")]
    private static partial void Reconciled(ILogger logger, int count);

    [LoggerMessage(EventId = 3004, Level = LogLevel.Warning, Message = "API key reconciliation with Policy failed ({ErrorType}): {Reason}")]
    private static partial void Failed(ILogger logger, string errorType, string reason);
}

public static class ApiKeyReconciliationSetup
{
    public static IServiceCollection AddApiKeyReconciliation(this IServiceCollection services)
    {
        services.AddHttpClient(ApiKeyReconciler.HttpClientName).AddPlatformResilience();
        services.AddHostedService<ApiKeyReconciler>();
        return services;
    }
}
