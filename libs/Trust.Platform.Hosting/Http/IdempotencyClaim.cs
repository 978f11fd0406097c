using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Trust.Platform.Data.Tenancy;
using Trust.Platform.Hosting.Auth;

namespace Trust.Platform.Hosting.Http;

/// <summary>
/// <c>Idempotency-Key</c> on a creating POST, the one way every service does it. The handler claims the key before it
/// creates anything; a retry with the same key and the same body gets the first answer again, the same key with another
/// body is refused (422), and a retry while the first is still running waits for it (the claim is a row in the same
/// transaction as the create, so the database serialises them):
/// <code>
/// await using var idempotency = await IdempotencyClaim.ClaimAsync(db, "CreateSchool", Caller, command.IdempotencyKey, command.Body, time, ct);
/// if (idempotency.Refusal is { } refused) return refused;                    // 422: the key was used with another body
/// if (idempotency.ReplayCreated&lt;SchoolResponse&gt;() is { } first) return first;  // the first answer again
/// ... create, db.SaveChangesAsync(ct) ...
/// return await idempotency.CreatedAsync($"/v1/schools/{id}", response, ct);
/// </code>
/// Without a key the claim does nothing and the handler runs as it would anyway.
/// </summary>
public sealed class IdempotencyClaim : IAsyncDisposable
{
    public const string HeaderName = "Idempotency-Key";
    public const int MaxKeyLength = 200;
    public const string KeyReusedRule = "platform.idempotency_key_reused";

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

    /// <summary>422 for a key sent before with another body, or 409 when that first request never finished.</summary>
    public ProblemHttpResult? Refusal { get; }

    /// <summary>The first answer to this key again, when it was a 201.</summary>
    public Created<T>? ReplayCreated<T>() =>
        _earlier is { Status: StatusCodes.Status201Created } e ? TypedResults.Created(e.Location, JsonSerializer.Deserialize<T>(e.Body!, Json)) : null;

    /// <summary>The first answer to this key again, when it was a 200.</summary>
    public Ok<T>? ReplayOk<T>() =>
        _earlier is { Status: StatusCodes.Status200OK } e ? TypedResults.Ok(JsonSerializer.Deserialize<T>(e.Body!, Json)) : null;

    /// <summary>Claims <paramref name="key"/> for <paramref name="operation"/> and the caller, or finds what an earlier request with it answered.</summary>
    public static async Task<IdempotencyClaim> ClaimAsync<TRequest>(
        TenantDbContext db, string operation, PlatformPrincipal caller, string? key, TRequest request, TimeProvider time, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(key))
        {
            return new IdempotencyClaim(refusal: null);
        }

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
            $"SELECT request_hash AS \"RequestHash\", status AS \"Status\", location AS \"Location\", body AS \"Body\" FROM {schema}.idempotency_requests WHERE scope = {{0}} AND key = {{1}}",
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

    /// <summary>Records a 201 with <paramref name="location"/> and <paramref name="body"/> as the key's answer, commits, and returns it.</summary>
    public async Task<Created<T>> CreatedAsync<T>(string location, T body, CancellationToken cancellationToken)
    {
        await RecordAsync(StatusCodes.Status201Created, location, body, cancellationToken);
        return TypedResults.Created(location, body);
    }

    /// <summary>Records a 200 with <paramref name="body"/> as the key's answer (a POST whose answer is not a created resource), commits, and returns it.</summary>
    public async Task<Ok<T>> OkAsync<T>(T body, CancellationToken cancellationToken)
    {
        await RecordAsync(StatusCodes.Status200OK, null, body, cancellationToken);
        return TypedResults.Ok(body);
    }

    private async Task RecordAsync<T>(int status, string? location, T body, CancellationToken cancellationToken)
    {
        if (_db is null || _transaction is null)
        {
            return;
        }

        var schema = _db.Model.GetDefaultSchema();
#pragma warning disable EF1002
        await _db.Database.ExecuteSqlRawAsync(
            $"UPDATE {schema}.idempotency_requests SET status = {{0}}, location = {{1}}, body = {{2}} WHERE scope = {{3}} AND key = {{4}}",
            [status, location!, JsonSerializer.Serialize(body, Json), _scope, _key], cancellationToken);
#pragma warning restore EF1002
        await _transaction.CommitAsync(cancellationToken);
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

        public string? Body { get; init; }
    }
}
