using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Net.Http.Headers;
using Trust.Platform.Data.Tenancy;
using Trust.Platform.Hosting.Auth;

namespace Trust.Platform.Hosting.Http;

/// <summary>
/// The row behind an <c>Idempotency-Key</c> (draft-ietf-httpapi-idempotency-key-header): claimed in a transaction that the
/// create then runs in, so that two concurrent retries cannot both create (the second one's insert waits for the first to
/// commit, then finds its answer). Endpoints do not use it directly: they declare <c>Idempotent()</c>
/// (<see cref="Endpoints.IdempotencyPreProcessor{TRequest}"/>), which claims, refuses, replays and records for them.
/// </summary>
public sealed class IdempotencyClaim : IAsyncDisposable
{
    public const string HeaderName = "Idempotency-Key";
    public const int MaxKeyLength = 200;
    public const string KeyReusedRule = "platform.idempotency_key_reused";

    /// <summary>The headers that belong to the answer itself and so come back with its replay (not rate limits, trace or security headers, which are the retry's own).</summary>
    private static readonly string[] AnswerHeaders = [HeaderNames.Location, HeaderNames.ETag, HeaderNames.CacheControl];

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly TenantDbContext? _db;
    private readonly IDbContextTransaction? _transaction;
    private readonly string _scope = "";
    private readonly string _key = "";

    private readonly StoredAnswer? _earlier;

    private IdempotencyClaim(ProblemHttpResult? refusal, StoredAnswer? earlier = null) => (Refusal, _earlier) = (refusal, earlier);

    private IdempotencyClaim(TenantDbContext db, IDbContextTransaction transaction, string scope, string key)
    {
        (_db, _transaction, _scope, _key) = (db, transaction, scope, key);
    }

    /// <summary>422 for a key sent before with another request, or 409 when that first request never finished.</summary>
    public ProblemHttpResult? Refusal { get; }

    /// <summary>True when this request holds the key now: its answer is to be recorded (<see cref="RecordAsync"/>) or rolled back.</summary>
    public bool Claimed => _transaction is not null;

    /// <summary>True when an earlier request with this key and the same body was answered: <see cref="ReplayAsync"/> sends that answer again.</summary>
    public bool Answered => _earlier is not null;

    /// <summary>
    /// Claims <paramref name="key"/> for <paramref name="operation"/> and the caller, or finds what an earlier request with it
    /// answered. <paramref name="request"/> is what makes two requests "the same": its JSON is hashed.
    /// </summary>
    public static async Task<IdempotencyClaim> ClaimAsync<TRequest>(
        TenantDbContext db, string operation, PlatformPrincipal caller, string key, TRequest request, TimeProvider time, CancellationToken cancellationToken)
    {
        var scope = operation + "|" + (caller.IsApiKey ? "key:" + caller.ApiKeyId : "user:" + caller.Subject);
        var hash = SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(request, Json));
        var schema = db.Model.GetDefaultSchema();
        var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
#pragma warning disable EF1002 // the schema is the model's own identifier; every value is a parameter
        var claimed = await db.Database.ExecuteSqlRawAsync(
            $"INSERT INTO {schema}.idempotency_requests (trust_id, scope, key, request_hash, created_at) VALUES ({{0}}, {{1}}, {{2}}, {{3}}, {{4}}) ON CONFLICT DO NOTHING",
            [db.Tenant.TrustId!.Value, scope, key, hash, time.GetUtcNow()], cancellationToken);
        if (claimed == 1)
        {
            return new IdempotencyClaim(db, transaction, scope, key);
        }

        // Another request holds the key: the insert above waited for it to commit, so its answer is there now.
        var earlier = await db.Database.SqlQueryRaw<StoredAnswer>(
            $"SELECT request_hash AS \"RequestHash\", status AS \"Status\", location AS \"Location\", headers AS \"Headers\", body AS \"Body\" FROM {schema}.idempotency_requests WHERE scope = {{0}} AND key = {{1}}",
            scope, key).SingleAsync(cancellationToken);
#pragma warning restore EF1002
        await transaction.RollbackAsync(cancellationToken);
        await transaction.DisposeAsync();
        if (!earlier.RequestHash.AsSpan().SequenceEqual(hash))
        {
            return new IdempotencyClaim(ApiProblem.RuleRefused(KeyReusedRule, "The Idempotency-Key was used for another request",
                new FieldErrors().Add(HeaderName, "This key was sent before with a different body; use a new key for a new request.")));
        }

        return earlier.Status is null
            ? new IdempotencyClaim(ApiProblem.Conflict("The first request with this Idempotency-Key did not finish", "Retry with the same key."))
            : new IdempotencyClaim(refusal: null, earlier);
    }

    /// <summary>The first answer again: its status, its own headers (<c>Location</c>, <c>ETag</c>, <c>Cache-Control</c>) and its body as it was sent.</summary>
    public async Task ReplayAsync(HttpResponse response, CancellationToken cancellationToken)
    {
        var earlier = _earlier ?? throw new InvalidOperationException("No earlier answer to replay.");
        response.StatusCode = earlier.Status!.Value;
        var headers = earlier.Headers is null
            ? new Dictionary<string, string> { [HeaderNames.Location] = earlier.Location ?? "" } // an answer recorded before its headers were
            : JsonSerializer.Deserialize<Dictionary<string, string>>(earlier.Headers, Json)!;
        foreach (var (name, value) in headers.Where(h => h.Value.Length > 0))
        {
            response.Headers[name] = value;
        }

        if (earlier.Body is not null)
        {
            response.ContentType = "application/json; charset=utf-8";
            await response.WriteAsync(earlier.Body, cancellationToken);
        }
    }

    /// <summary>Records <paramref name="status"/>, the answer's own headers from <paramref name="response"/> and <paramref name="body"/> (JSON as sent) as the key's answer, and commits.</summary>
    public async Task RecordAsync(int status, HttpResponse response, string? body, CancellationToken cancellationToken)
    {
        if (_db is null || _transaction is null)
        {
            return;
        }

        var headers = AnswerHeaders.Where(h => response.Headers.ContainsKey(h)).ToDictionary(h => h, h => response.Headers[h].ToString());
        var schema = _db.Model.GetDefaultSchema();
        try
        {
#pragma warning disable EF1002
            await _db.Database.ExecuteSqlRawAsync(
                $"UPDATE {schema}.idempotency_requests SET status = {{0}}, location = {{1}}, headers = {{2}}, body = {{3}} WHERE scope = {{4}} AND key = {{5}}",
                [status, headers.GetValueOrDefault(HeaderNames.Location)!, JsonSerializer.Serialize(headers, Json), body!, _scope, _key], cancellationToken);
#pragma warning restore EF1002
            await _transaction.CommitAsync(cancellationToken);
        }
        catch (InvalidOperationException lost) when (_db.Database.GetDbConnection().State != System.Data.ConnectionState.Open)
        {
            // The server ended the session (a restart, a failover) after the handler's changes and before this commit: Npgsql
            // broke the connection and completed the transaction with it ("Transaction is already completed"). Nothing was
            // committed, so the client gets a 503 and retries with the same key.
            throw new DatabaseConnectionLostException("The database session ended before the answer was committed.", lost);
        }
    }

    /// <summary>Without a recorded answer (the handler refused or failed) the claim is rolled back with whatever it created.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_transaction is not null)
        {
            await _transaction.DisposeAsync();
        }
    }

    private sealed class StoredAnswer
    {
        public byte[] RequestHash { get; init; } = [];

        public int? Status { get; init; }

        public string? Location { get; init; }

        public string? Headers { get; init; }

        public string? Body { get; init; }
    }
}
