using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Npgsql;
using Trust.Platform.Data;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Hosting.Http;

namespace Trust.Platform.Policy.Features.ApiKeys.Changes;

/// <summary>
/// The key change feed the replicas reconcile from (docs/adr/0006): every key of every trust whose state changed
/// after the cursor, oldest change first. Only the platform's services may read it (role <c>platform_service</c>):
/// it spans trusts and carries the keys' hashes, as ApiKeyIssued does.
/// </summary>
public static class ListApiKeyChanges
{
    public static void Map(IEndpointRouteBuilder app) =>
        app.MapGet("/v1/api-keys/changes", Handle)
            .RequireAccess([Roles.PlatformService])
            .WithTags("API keys")
            .WithName("ListApiKeyChanges");

    /// <param name="after">The <c>cursor</c> of the previous answer; none to read the feed from its start.</param>
    /// <param name="limit">Key states per answer, 1-500.</param>
    public static async Task<Results<Ok<ApiKeyChanges>, ProblemHttpResult>> Handle(
        NpgsqlDataSource dataSource, IOptions<DatabaseOptions> database, string? after, int? limit, CancellationToken cancellationToken)
    {
        var size = limit ?? 100;
        if (size is < 1 or > 500)
        {
            return TypedResults.Problem(PlatformExceptionHandler.Validation(400, "limit", "Must be between 1 and 500."));
        }

        var from = 0L;
        if (after is not null &&
            !(Paging.TryRead(1, after, out _, out var decoded, out _) && long.TryParse(decoded, NumberStyles.None, CultureInfo.InvariantCulture, out from)))
        {
            return TypedResults.Problem(PlatformExceptionHandler.Validation(400, "after", "Not a cursor this API returned."));
        }

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand(
            $"SELECT change_seq, id, trust_id, name, prefix, hash, scopes, school_ids, rate_limit_per_minute, created_at, expires_at, revoked_at FROM {database.Value.Schema}.api_key_changes($1, $2)",
            connection);
        command.Parameters.Add(new NpgsqlParameter { Value = from });
        command.Parameters.Add(new NpgsqlParameter { Value = size + 1 });
        var items = new List<ApiKeyState>();
        var last = from;
        var more = false;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            if (items.Count == size)
            {
                more = true;
                break;
            }

            last = reader.GetInt64(0);
            items.Add(new ApiKeyState(
                reader.GetGuid(1), reader.GetGuid(2), reader.GetString(3), reader.GetString(4), reader.GetFieldValue<byte[]>(5),
                reader.GetFieldValue<string[]>(6), reader.GetFieldValue<Guid[]>(7), reader.GetInt32(8), reader.GetFieldValue<DateTimeOffset>(9),
                reader.IsDBNull(10) ? null : reader.GetFieldValue<DateTimeOffset>(10), reader.IsDBNull(11) ? null : reader.GetFieldValue<DateTimeOffset>(11)));
        }

        return TypedResults.Ok(new ApiKeyChanges(items, Paging.Encode(last.ToString(CultureInfo.InvariantCulture)), more));
    }
}
