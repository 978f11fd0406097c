using Trust.Platform.Hosting.Caching;
using Microsoft.AspNetCore.Http.HttpResults;
using System.Text.Json.Nodes;
using Npgsql;
using Trust.Platform.Policy.Model;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Hosting.Http;

namespace Trust.Platform.Policy.Features.Configuration.Effective;

/// <summary>A school's effective policy: every setting with its provenance (trust or school, and the version it dates from).</summary>
public static class GetEffectivePolicy
{
    public sealed record Response(Guid SchoolId, string? PublishedVersion, IReadOnlyList<EffectiveSettingResponse> Settings);

    public static void Map(IEndpointRouteBuilder app) =>
        app.MapGet("/v1/schools/{schoolId:guid}/policy/effective", Handle)
            .RequireAccess(ConfigurationAccess.SchoolReaders, Scopes.PolicyRead)
            .WithTags("Policy configuration")
            .WithName("GetEffectivePolicy");

    /// <summary>
    /// The hot read of the policy, served from a per-replica <see cref="TenantReadCache{TValue}"/> (as JSON bytes) for up to 2 s: integrations and every service's staff pages call it. One round trip
    /// (tenant setting and one query batched together) instead of one per table; RLS still applies.
    /// </summary>
    public static async Task<Results<JsonBytesResult<Response>, NotFound>> Handle(
        Guid schoolId, HttpContext http, NpgsqlDataSource dataSource, TenantReadCache<JsonBytesResult<Response>> cache, CancellationToken cancellationToken)
    {
        var principal = http.Principal();
        if (!principal.CanActForSchool(schoolId, ConfigurationAccess.SchoolReaders))
        {
            return TypedResults.NotFound();
        }

        if (cache.TryGet(principal.TrustId!.Value, schoolId, out var cached))
        {
            return cached;
        }

        var generation = cache.Generation(principal.TrustId.Value);

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var batch = new NpgsqlBatch(connection)
        {
            BatchCommands =
            {
                new NpgsqlBatchCommand("SELECT set_config('app.trust_id', $1, false)") { Parameters = { new() { Value = principal.TrustId!.Value.ToString() } } },
                new NpgsqlBatchCommand("""
                    SELECT EXISTS (SELECT 1 FROM policy.schools WHERE id = $1),
                           (SELECT coalesce(json_agg(json_build_array(key, value_json, rule, since)), '[]') FROM policy.baseline_settings)::text,
                           (SELECT coalesce(json_agg(json_build_array(key, value_json, since)), '[]') FROM policy.school_overrides WHERE school_id = $1)::text,
                           (SELECT major || '.' || minor FROM policy.policy_versions WHERE status = 'published')
                    """) { Parameters = { new() { Value = schoolId } } },
            },
        };
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        await reader.NextResultAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        if (!reader.GetBoolean(0))
        {
            return TypedResults.NotFound();
        }

        var published = reader.IsDBNull(3) ? null : reader.GetString(3);
        var baseline = JsonNode.Parse(reader.GetString(1))!.AsArray().Select(r => new BaselineSetting
        {
            Key = r![0]!.GetValue<string>(), ValueJson = r[1]?.ToJsonString(), Rule = r[2]!.GetValue<string>(), Since = r[3]?.GetValue<string>(),
        });
        var overrides = JsonNode.Parse(reader.GetString(2))!.AsArray().Select(r => new SchoolOverride
        {
            Key = r![0]!.GetValue<string>(), ValueJson = r[1]?.ToJsonString(), Since = r[2]?.GetValue<string>(),
        });
        var effective = PolicyState.Effective(PolicyState.Baseline(baseline), PolicyState.Overrides(overrides));
        // Cached already serialised: a hit writes the stored bytes, so the 2 s of hits an entry serves cost no
        // serialisation and next to no garbage (serialising the same answer on every hit was most of a hit's work).
        var response = JsonBytesResult<Response>.Create(new Response(schoolId, published, effective.Select(EffectiveSettingResponse.From).ToList()), http.RequestServices);
        cache.Set(principal.TrustId.Value, schoolId, generation, response);
        return response;
    }
}
