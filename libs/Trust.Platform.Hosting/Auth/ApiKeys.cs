using System.Collections.Concurrent;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using Trust.Platform.Data;
using Trust.Platform.Hosting.Caching;

namespace Trust.Platform.Hosting.Auth;

/// <summary>
/// Key format: <c>tpk_{prefix}_{secret}</c>. The prefix (public, 12 hex chars) finds the row; the
/// whole key's SHA-256 is compared in constant time. Keys are 256-bit random, so a fast hash is
/// enough: there is nothing to brute-force that a slow hash would protect.
/// </summary>
public static class ApiKeySecret
{
    public const string HeaderName = "X-Api-Key";

    public static (string Key, string Prefix, byte[] Hash) Generate()
    {
        var prefix = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
        var secret = Base64UrlEncode(RandomNumberGenerator.GetBytes(32));
        var key = $"tpk_{prefix}_{secret}";
        return (key, prefix, Hash(key));
    }

    public static byte[] Hash(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));

    public static string? PrefixOf(string key)
    {
        if (!key.StartsWith("tpk_", StringComparison.Ordinal) || key.Length < 4 + 12 + 1 + 20 || key[16] != '_')
        {
            return null;
        }

        var prefix = key.Substring(4, 12);
        return prefix.All(char.IsAsciiHexDigitLower) ? prefix : null;
    }

    private static string Base64UrlEncode(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}

public sealed class ApiKeyOptions
{
    /// <summary>How long a verified key is trusted without asking the database again; bounds how late a revocation bites.</summary>
    public TimeSpan CacheFor { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// How long a prefix found in no row is remembered as unknown, so that a flood of one bad key costs one
    /// lookup. ApiKeyIssued consumed by this process (or a reconciliation that brings the key) forgets it at once.
    /// </summary>
    public TimeSpan UnknownCacheFor { get; set; } = TimeSpan.FromSeconds(10);

    public TimeSpan TouchEvery { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Policy's base address, for the replicas' reconciliation (docs/adr/0006). Required outside Development on a replica.</summary>
    public Uri? PolicyUrl { get; set; }

    /// <summary>How often a replica reconciles its keys with Policy (and once at start).</summary>
    public TimeSpan ReconcileEvery { get; set; } = TimeSpan.FromSeconds(30);
}

public sealed class ApiKeyAuthenticationOptions : AuthenticationSchemeOptions;

/// <summary>What authentication needs of a key's row: never the key, only its hash.</summary>
public sealed record ApiKeyRecord(
    Guid Id, Guid TrustId, byte[] Hash, string[] Scopes, Guid[] SchoolIds, int RateLimitPerMinute, DateTimeOffset? RevokedAt, DateTimeOffset? ExpiresAt)
{
    public bool IsUsableAt(DateTimeOffset now) => RevokedAt is null && (ExpiresAt is null || now < ExpiresAt);
}

/// <summary>
/// This process's memory of keys: a found row for <see cref="ApiKeyOptions.CacheFor"/>, an unknown prefix for
/// <see cref="ApiKeyOptions.UnknownCacheFor"/>. Bounded in entries, so a flood of made-up prefixes cannot grow it
/// without limit (a full cache just stops remembering). Forgetting a key moves a <see cref="CacheGeneration"/> on: a
/// lookup that was under way while a key was issued or revoked does not store what it read.
/// </summary>
public sealed class ApiKeyCache(IOptions<ApiKeyOptions> options, TimeProvider time) : IDisposable
{
    private const int MaxEntries = 100_000;
    private static readonly object Unknown = new();
    private readonly MemoryCache _cache = new(new MemoryCacheOptions { SizeLimit = MaxEntries, Clock = new TimeProviderClock(time) });
    private readonly ConcurrentDictionary<Guid, string> _prefixOfKey = new();
    private readonly CacheGeneration _generation = new();

    public long Generation => _generation.Current;

    /// <summary>True when this process remembers the prefix: <paramref name="record"/> is its row, or null for a prefix known to be unknown.</summary>
    public bool TryGet(string prefix, out ApiKeyRecord? record)
    {
        if (_cache.TryGetValue(prefix, out var value))
        {
            record = value as ApiKeyRecord;
            return true;
        }

        record = null;
        return false;
    }

    /// <summary>Stores what a lookup that started at <paramref name="generation"/> found, unless a key changed since.</summary>
    public void Remember(string prefix, ApiKeyRecord? record, long generation)
    {
        var entry = new MemoryCacheEntryOptions { Size = 1, AbsoluteExpirationRelativeToNow = record is null ? options.Value.UnknownCacheFor : options.Value.CacheFor };
        _generation.StoreIfCurrent(generation, () =>
        {
            _cache.Set(prefix, record ?? Unknown, entry);
            if (record is not null)
            {
                _prefixOfKey[record.Id] = prefix;
            }
        });
    }

    /// <summary>A key with this prefix was issued (or reconciled): look it up on its next use.</summary>
    public void Forget(string prefix) => _generation.Advance(() => _cache.Remove(prefix));

    /// <summary>The key was revoked: look it up on its next use.</summary>
    public void ForgetKey(Guid keyId) => _generation.Advance(() =>
    {
        if (_prefixOfKey.TryRemove(keyId, out var prefix))
        {
            _cache.Remove(prefix);
        }
    });

    public void Dispose() => _cache.Dispose();

    private sealed class TimeProviderClock(TimeProvider time) : Microsoft.Extensions.Internal.ISystemClock
    {
        public DateTimeOffset UtcNow => time.GetUtcNow();
    }
}

/// <summary>Authenticates <c>X-Api-Key</c> against this service's copy of the key table.</summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<ApiKeyAuthenticationOptions> options,
    ILoggerFactory loggerFactory,
    UrlEncoder encoder,
    NpgsqlDataSource dataSource,
    IOptions<DatabaseOptions> database,
    ApiKeyCache keys,
    ApiKeyUsage usage,
    TimeProvider time) : AuthenticationHandler<ApiKeyAuthenticationOptions>(options, loggerFactory, encoder)
{
    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!Request.Headers.TryGetValue(ApiKeySecret.HeaderName, out var values))
        {
            return AuthenticateResult.NoResult();
        }

        var key = values.ToString();
        var prefix = ApiKeySecret.PrefixOf(key);
        if (prefix is null)
        {
            return AuthenticateResult.Fail("Malformed API key.");
        }

        if (!keys.TryGet(prefix, out var record))
        {
            var generation = keys.Generation;
            record = await FindAsync(prefix, Context.RequestAborted);
            keys.Remember(prefix, record, generation);
        }

        var now = time.GetUtcNow();
        if (record is null || !record.IsUsableAt(now) ||
            !CryptographicOperations.FixedTimeEquals(record.Hash, ApiKeySecret.Hash(key)))
        {
            return AuthenticateResult.Fail("Unknown, revoked or expired API key.");
        }

        usage.Touch(record.Id, now);

        var claims = new List<Claim>
        {
            new(PlatformClaims.Subject, "apikey:" + record.Id),
            new(PlatformClaims.KeyId, record.Id.ToString()),
            new(PlatformClaims.Trust, record.TrustId.ToString()),
            new(PlatformClaims.RateLimit, record.RateLimitPerMinute.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        };
        claims.AddRange(record.Scopes.Select(s => new Claim(PlatformClaims.Scope, s)));
        claims.AddRange(record.SchoolIds.Select(s => new Claim(PlatformClaims.KeySchool, s.ToString())));
        // The authentication type is what PlatformPrincipal trusts to read key claims from: only this scheme sets it.
        var identity = new ClaimsIdentity(claims, AuthSetup.ApiKeyScheme, PlatformClaims.Subject, PlatformClaims.Role);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), Scheme.Name));
    }

    private async Task<ApiKeyRecord?> FindAsync(string prefix, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand(
            $"SELECT id, trust_id, hash, scopes, school_ids, rate_limit_per_minute, revoked_at, expires_at FROM {database.Value.Schema}.api_key_find($1)", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = prefix });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        return new ApiKeyRecord(
            reader.GetGuid(0), reader.GetGuid(1), reader.GetFieldValue<byte[]>(2), reader.GetFieldValue<string[]>(3),
            reader.GetFieldValue<Guid[]>(4), reader.GetInt32(5), reader.IsDBNull(6) ? null : reader.GetFieldValue<DateTimeOffset>(6),
            reader.IsDBNull(7) ? null : reader.GetFieldValue<DateTimeOffset>(7));
    }
}

/// <summary>Records a key's last use at most once a minute per key and process, off the request path.</summary>
public sealed class ApiKeyUsage(NpgsqlDataSource dataSource, IOptions<DatabaseOptions> database, IOptions<ApiKeyOptions> options, ILogger<ApiKeyUsage> logger)
{
    private readonly ConcurrentDictionary<Guid, DateTimeOffset> _lastTouched = new();

    public void Touch(Guid keyId, DateTimeOffset now)
    {
        if (_lastTouched.TryGetValue(keyId, out var last) && now - last < options.Value.TouchEvery)
        {
            return;
        }

        _lastTouched[keyId] = now;
        _ = Task.Run(async () =>
        {
            try
            {
                await using var connection = await dataSource.OpenConnectionAsync();
                await using var command = new NpgsqlCommand($"SELECT {database.Value.Schema}.api_key_touch($1, $2)", connection);
                command.Parameters.Add(new NpgsqlParameter { Value = keyId });
                command.Parameters.Add(new NpgsqlParameter { Value = now });
                await command.ExecuteNonQueryAsync();
            }
            catch (Exception ex)
            {
                // Last-used is informational; losing one update must never fail a request.
                AuthLog.TouchFailed(logger, keyId, ex.GetType().Name);
            }
        });
    }
}

internal static partial class AuthLog
{
    [LoggerMessage(EventId = 3001, Level = LogLevel.Warning, Message = "Could not record last use of API key {KeyId}: {ErrorType}")]
    public static partial void TouchFailed(ILogger logger, Guid keyId, string errorType);
}
