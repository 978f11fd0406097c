using Microsoft.EntityFrameworkCore;
using Trust.Platform.Contracts;
using Trust.Platform.Data.Tenancy;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Messaging.Outbox;
using Trust.Platform.Policy.Configuration;
using Trust.Platform.Policy.Features.Configuration;
using Trust.Platform.Policy.Features.Configuration.Versions;
using Trust.Platform.Policy.Features.Schools;
using Trust.Platform.Policy.Infrastructure;
using Trust.Platform.Policy.Model;

namespace Trust.Platform.Policy.Demo;

/// <summary>
/// The demo trust of the seeds: Aspire Educational Trust (002) with the schools of 000, 001, 003 and
/// 004, and one demo user per role. Idempotent: re-running keeps the trust and schools, and replaces
/// the demo API key (a key can only be shown when it is created).
/// URNs here are illustrative six-digit values, not the schools' real DfE numbers.
/// </summary>
public static class DemoSeeder
{
    public static readonly Guid TrustId = Guid.Parse("0193f1a0-0000-7000-8000-00000000ae70");
    public const string DemoKeyName = "Demo MIS integration";

    public static readonly IReadOnlyList<(Guid Id, string Name, string Urn, SchoolPhase Phase, string LocalAuthority)> Schools =
    [
        (Guid.Parse("0193f1a0-0000-7000-8000-000000000000"), "Old Basford School", "140000", SchoolPhase.Secondary, "Nottingham"),
        (Guid.Parse("0193f1a0-0000-7000-8000-000000000001"), "Newbury School", "140001", SchoolPhase.Secondary, "West Berkshire"),
        (Guid.Parse("0193f1a0-0000-7000-8000-000000000003"), "Mellers Primary School", "140003", SchoolPhase.Primary, "Nottingham"),
        (Guid.Parse("0193f1a0-0000-7000-8000-000000000004"), "Brierley Hill Primary School", "140004", SchoolPhase.Primary, "Dudley"),
    ];

    public static IReadOnlyList<DevUser> Users()
    {
        var users = new List<DevUser>
        {
            new("demo-operator", "Platform operator", null, [Roles.PlatformOperator]),
            new("demo-ceo", "AET chief executive", TrustId, [Roles.TrustAdmin]),
            new("demo-chair", "Chair of the board of trustees", TrustId, [Roles.Chair]),
        };
        foreach (var (id, name, _, _, _) in Schools)
        {
            var slug = name.Split(' ')[0].ToLowerInvariant() switch { "old" => "oldbasford", var s => s };
            users.Add(new($"demo-{slug}-headteacher", $"{name} headteacher", TrustId, [$"{Roles.Headteacher}:{id}"]));
            users.Add(new($"demo-{slug}-dsl", $"{name} DSL", TrustId, [$"{Roles.Dsl}:{id}"]));
            users.Add(new($"demo-{slug}-staff", $"{name} staff member", TrustId, [$"{Roles.Staff}:{id}"]));
        }

        return users;
    }

    /// <summary>The first time: the 002 baseline, each school's overrides, and version 1.0 approved by the trustees and published.</summary>
    private static async Task SeedPolicyAsync(PolicyDbContext db, DateTimeOffset now)
    {
        if (await db.PolicyVersions.AnyAsync())
        {
            return;
        }

        var policy = await PolicyState.EnsureTrustPolicyAsync(db, now, CancellationToken.None);
        foreach (var (key, value) in DemoPolicy.Baseline)
        {
            var definition = SettingCatalogue.ByKey[key];
            db.BaselineSettings.Add(new BaselineSetting
            {
                TrustId = TrustId, Key = key, ValueJson = Normalised(definition, value), Rule = PolicyState.RuleName(definition.Rule),
                UpdatedAt = now, UpdatedBy = "seed-demo",
            });
        }

        await db.SaveChangesAsync();
        var baseline = await PolicyState.BaselineAsync(db, CancellationToken.None);
        foreach (var (id, name, _, _, _) in Schools)
        {
            await PolicyState.EnsureSchoolPolicyAsync(db, id, now, CancellationToken.None);
            foreach (var (key, value) in DemoPolicy.Schools.GetValueOrDefault(name) ?? new Dictionary<string, System.Text.Json.Nodes.JsonNode?>())
            {
                var definition = SettingCatalogue.ByKey[key];
                var json = Normalised(definition, value);
                // The demo goes through the same rules a headteacher meets.
                if (PolicyMerge.Check(definition, baseline[key], PolicyState.Parse(json)) is { } reason)
                {
                    throw new InvalidOperationException($"Demo override {name}/{key} breaks the trust rule: {reason}");
                }

                db.SchoolOverrides.Add(new SchoolOverride { TrustId = TrustId, SchoolId = id, Key = key, ValueJson = json, UpdatedAt = now, UpdatedBy = "seed-demo" });
            }
        }

        policy.Version++;
        var version = new PolicyVersion
        {
            TrustId = TrustId, Id = Guid.CreateVersion7(now), Major = 1, Minor = 0, Kind = "major", Status = "approved",
            Summary = "Trust-wide social media policy with school settings", CreatedAt = now, CreatedBy = "seed-demo",
            ApprovedByName = "Chair of the Board of Trustees", ApprovedByBody = "Board of Trustees", ApprovedOn = DateOnly.FromDateTime(now.UtcDateTime),
        };
        db.PolicyVersions.Add(version);
        await db.SaveChangesAsync();
        await PolicyPublication.PublishAsync(db, version, now, CancellationToken.None);
        await db.SaveChangesAsync();
    }

    private static string? Normalised(SettingDefinition definition, System.Text.Json.Nodes.JsonNode? value)
    {
        var (normalised, error) = SettingValues.Normalise(definition, value?.DeepClone());
        return error is null ? normalised?.ToJsonString() : throw new InvalidOperationException($"Demo value for {definition.Key}: {error}");
    }

    public static async Task<int> RunAsync(IServiceProvider services, TextWriter output)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PolicyDbContext>();
        var tenant = scope.ServiceProvider.GetRequiredService<TenantContext>();
        var time = scope.ServiceProvider.GetRequiredService<TimeProvider>();
        var issuer = scope.ServiceProvider.GetRequiredService<DevTokenIssuer>();
        tenant.Set(TrustId);
        var now = time.GetUtcNow();

        if (!await db.Trusts.AnyAsync())
        {
            db.Trusts.Add(new TrustOrganisation { TrustId = TrustId, Name = "Aspire Educational Trust", CreatedAt = now });
            db.TrustMembers.Add(new TrustMember
            {
                Id = Guid.CreateVersion7(now), DisplayName = "AET chief executive", Email = "ceo@aet.example",
                Roles = [Roles.TrustAdmin], CreatedAt = now,
            });
        }

        var existing = await db.Schools.Select(s => s.Id).ToListAsync();
        foreach (var (id, name, urn, phase, localAuthority) in Schools.Where(s => !existing.Contains(s.Id)))
        {
            var school = new School
            {
                TrustId = TrustId, Id = id, Name = name, Urn = urn, Phase = phase, LocalAuthority = localAuthority,
                TimeZone = SchoolRequest.DefaultTimeZone, Version = 1, CreatedAt = now, UpdatedAt = now,
            };
            db.Schools.Add(school);
            db.AddEvent(SchoolAccess.Added(school, now), school.Id.ToString(), now);
        }

        foreach (var old in await db.ApiKeys.Where(k => k.Name == DemoKeyName && k.RevokedAt == null).ToListAsync())
        {
            old.RevokedAt = now;
            db.AddEvent(new ApiKeyRevoked(Guid.CreateVersion7(now), TrustId, now, old.Id, now), "apikey:" + old.Id, now);
        }

        var (secret, prefix, hash) = ApiKeySecret.Generate();
        var key = new ApiKey
        {
            TrustId = TrustId, Id = Guid.CreateVersion7(now), Name = DemoKeyName, Prefix = prefix, Hash = hash,
            Scopes = [.. Scopes.All.Order(StringComparer.Ordinal)], SchoolIds = [], RateLimitPerMinute = 6000, CreatedAt = now, CreatedBy = "seed-demo",
        };
        db.ApiKeys.Add(key);
        db.AddEvent(new ApiKeyIssued(Guid.CreateVersion7(now), TrustId, now, key.Id, key.Name, key.Prefix, key.Hash, key.Scopes, key.SchoolIds, key.RateLimitPerMinute),
            "apikey:" + key.Id, now);
        await db.SaveChangesAsync();
        await SeedPolicyAsync(db, now);

        await output.WriteLineAsync("Demo trust: Aspire Educational Trust (" + TrustId + ")");
        foreach (var (id, name, _, _, _) in Schools)
        {
            await output.WriteLineAsync($"  school {id}  {name}");
        }

        await output.WriteLineAsync();
        await output.WriteLineAsync("Demo tokens (Authorization: Bearer <token>, valid 12 h):");
        foreach (var user in Users())
        {
            await output.WriteLineAsync($"  {user.Subject,-28} {issuer.Mint(user)}");
        }

        await output.WriteLineAsync();
        await output.WriteLineAsync($"Demo MIS API key (X-Api-Key: <key>, all scopes; shown once): {secret}");
        return 0;
    }
}
