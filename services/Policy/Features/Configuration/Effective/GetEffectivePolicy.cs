using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Hosting.Caching;
using Trust.Platform.Hosting.Endpoints;
using Trust.Platform.Hosting.Http;
using Trust.Platform.Policy.Model;

namespace Trust.Platform.Policy.Features.Configuration.Effective;

/// <summary>A school's effective policy: every setting with the value that applies and where it comes from.</summary>
/// <param name="PublishedVersion">The trust's published policy version (major.minor), null before the first is published.</param>
public sealed record EffectivePolicyResponse(Guid SchoolId, string? PublishedVersion, IReadOnlyList<EffectiveSettingResponse> Settings);

public sealed record GetEffectivePolicyQuery(Guid SchoolId);

/// <summary>A school's effective policy: every setting with its provenance (trust or school, and the version it dates from).</summary>
public sealed class GetEffectivePolicy(NpgsqlDataSource dataSource, TenantReadCache<JsonBytesResult<EffectivePolicyResponse>> cache)
    : PlatformEndpoint<GetEffectivePolicyQuery, Results<JsonBytesResult<EffectivePolicyResponse>, NotFound>>
{
    public override void Configure()
    {
        Get("/v1/schools/{schoolId:guid}/policy/effective");
        Allow(RoleSets.AnyoneInSchool, Scope.PolicyRead);
        Document("Policy configuration", "Read a school's effective policy",
            "Every setting of the catalogue with the value that applies at the school: the school's own override where the trust's rule allows " +
            "it, otherwise the trust's value, with its source, the version it dates from, the rule and the trust value beside it, and the reason " +
            "when an override conflicts with the baseline (the trust value then applies). Anyone in the school, the trust's admins and keys with " +
            "policy:read that cover the school; another school is a 404. Answers may be up to 2 s old on another replica.");
        Summary(s => s.ResponseExamples[200] = new
        {
            schoolId = "0193f1a0-0000-7000-8000-000000000003",
            publishedVersion = "1.0",
            settings = new object[]
            {
                new
                {
                    key = "roles.esafety_team",
                    value = new[] { new { name = "Jo Kervick", jobTitle = "Computing Lead" }, new { name = "Gary Phillips", jobTitle = "IT technician" }, new { name = "Jo Travis", jobTitle = "SBM" } },
                    source = "school", since = "1.0", rule = "free", trustValue = Array.Empty<object>(), conflict = (string?)null,
                },
                new { key = "sla.response_hours", value = 24, source = "school", since = "1.0", rule = "tighten_only", trustValue = 48, conflict = (string?)null },
            },
        });
    }

    /// <summary>
    /// The hot read of the policy, served from a per-replica <see cref="TenantReadCache{TValue}"/> (as JSON bytes) for up to 2 s: integrations and every service's staff pages call it. One round trip
    /// (tenant setting and one query batched together) instead of one per table; RLS still applies.
    /// </summary>
    public override async Task<Results<JsonBytesResult<EffectivePolicyResponse>, NotFound>> ExecuteAsync(GetEffectivePolicyQuery query, CancellationToken ct)
    {
        var trustId = Caller.TrustId!.Value;
        if (!Caller.CanActForSchool(query.SchoolId, [.. RoleSets.AnyoneInSchool]))
        {
            return TypedResults.NotFound();
        }

        if (cache.TryGet(trustId, query.SchoolId, out var cached))
        {
            return cached;
        }

        var generation = cache.Generation(trustId);
        var effective = await LoadAsync(trustId, query.SchoolId, ct);
        if (effective is null)
        {
            return TypedResults.NotFound();
        }

        // Cached already serialised: a hit writes the stored bytes, so the 2 s of hits an entry serves cost no
        // serialisation and next to no garbage (serialising the same answer on every hit was most of a hit's work).
        var response = JsonBytesResult<EffectivePolicyResponse>.Create(effective, HttpContext.RequestServices);
        cache.Set(trustId, query.SchoolId, generation, response);
        return response;
    }

    private async Task<EffectivePolicyResponse?> LoadAsync(Guid trustId, Guid schoolId, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var batch = new NpgsqlBatch(connection)
        {
            BatchCommands =
            {
                new NpgsqlBatchCommand("SELECT set_config('app.trust_id', $1, false)") { Parameters = { new() { Value = trustId.ToString() } } },
                new NpgsqlBatchCommand("""
                    SELECT EXISTS (SELECT 1 FROM policy.schools WHERE id = $1),
                           (SELECT coalesce(json_agg(json_build_array(key, value_json, rule, since)), '[]') FROM policy.baseline_settings)::text,
                           (SELECT coalesce(json_agg(json_build_array(key, value_json, since)), '[]') FROM policy.school_overrides WHERE school_id = $1)::text,
                           (SELECT major || '.' || minor FROM policy.policy_versions WHERE status = 'published')
                    """) { Parameters = { new() { Value = schoolId } } },
            },
        };
        await using var reader = await batch.ExecuteReaderAsync(ct);
        await reader.NextResultAsync(ct);
        await reader.ReadAsync(ct);
        if (!reader.GetBoolean(0))
        {
            return null;
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
        return new EffectivePolicyResponse(schoolId, published, effective.Select(EffectiveSettingResponse.From).ToList());
    }
}
