using System.Globalization;
using FastEndpoints;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Npgsql;
using Trust.Platform.Data;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Hosting.Endpoints;
using Trust.Platform.Hosting.Http;

namespace Trust.Platform.Policy.Features.ApiKeys.Changes;

public sealed class ListApiKeyChangesQuery
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 500;

    /// <summary>The <c>cursor</c> of the previous answer; none to read the feed from its start.</summary>
    [QueryParam]
    public string? After { get; init; }

    /// <summary>Key states per answer, 1-500 (100 when omitted).</summary>
    [QueryParam]
    public int? Limit { get; init; }
}

/// <summary>
/// The key change feed the replicas reconcile from (docs/adr/0006): every key of every trust whose state changed
/// after the cursor, oldest change first. Only the platform's services may read it (role <c>platform_service</c>):
/// it spans trusts and carries the keys' hashes, as ApiKeyIssued does.
/// </summary>
public sealed class ListApiKeyChanges(NpgsqlDataSource dataSource, IOptions<DatabaseOptions> database)
    : PlatformEndpoint<ListApiKeyChangesQuery, Results<Ok<ApiKeyChanges>, ProblemHttpResult>>
{
    public override void Configure()
    {
        Get("/v1/api-keys/changes");
        Allow(RoleSets.PlatformServices);
        Document("API keys", "Read the API key change feed",
            "The platform's own services only (role platform_service, never a person or a key): every key of every trust whose state changed after " +
            "the cursor, oldest change first, with its hash, as ApiKeyIssued carries it. Each service's key replica reconciles from it, so a revocation " +
            "whose event was lost still takes effect. Send the answer's cursor as after for the next page; more says whether one follows.");
    }

    public override async Task<Results<Ok<ApiKeyChanges>, ProblemHttpResult>> ExecuteAsync(ListApiKeyChangesQuery query, CancellationToken ct)
    {
        var from = 0L;
        if (query.After is { } after &&
            !(Paging.TryRead(1, after, out _, out var decoded, out _) && long.TryParse(decoded, NumberStyles.None, CultureInfo.InvariantCulture, out from)))
        {
            return ApiProblem.Invalid("after", "Not a cursor this API returned.");
        }

        var size = query.Limit ?? ListApiKeyChangesQuery.DefaultLimit;
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var command = new NpgsqlCommand(
            $"SELECT change_seq, id, trust_id, name, prefix, hash, scopes, school_ids, rate_limit_per_minute, created_at, expires_at, revoked_at FROM {database.Value.Schema}.api_key_changes($1, $2)",
            connection);
        command.Parameters.Add(new NpgsqlParameter { Value = from });
        command.Parameters.Add(new NpgsqlParameter { Value = size + 1 });
        var items = new List<ApiKeyState>();
        var last = from;
        var more = false;
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            if (items.Count == size)
            {
                more = true;
                break;
            }

            last = reader.GetInt64(0);
            items.Add(Read(reader));
        }

        return TypedResults.Ok(new ApiKeyChanges(items, Paging.Encode(last.ToString(CultureInfo.InvariantCulture)), more));
    }

    private static ApiKeyState Read(NpgsqlDataReader reader) => new(
        reader.GetGuid(1), reader.GetGuid(2), reader.GetString(3), reader.GetString(4), reader.GetFieldValue<byte[]>(5),
        reader.GetFieldValue<string[]>(6), reader.GetFieldValue<Guid[]>(7), reader.GetInt32(8), reader.GetFieldValue<DateTimeOffset>(9),
        reader.IsDBNull(10) ? null : reader.GetFieldValue<DateTimeOffset>(10), reader.IsDBNull(11) ? null : reader.GetFieldValue<DateTimeOffset>(11));
}

public sealed class ListApiKeyChangesValidator : Validator<ListApiKeyChangesQuery>
{
    public ListApiKeyChangesValidator()
    {
        RuleFor(x => x.Limit).InclusiveBetween(1, ListApiKeyChangesQuery.MaxLimit).WithMessage($"Must be between 1 and {ListApiKeyChangesQuery.MaxLimit}.");
        RuleFor(x => x.After).MaximumLength(200);
    }
}
