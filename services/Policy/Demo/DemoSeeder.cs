using Microsoft.EntityFrameworkCore;
using Trust.Platform.Contracts;
using Trust.Platform.Data.Tenancy;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Hosting.Caching;
using Trust.Platform.Hosting.Http;
using Trust.Platform.Hosting.Time;
using Trust.Platform.Messaging.Outbox;
using Trust.Platform.Policy.Configuration;
using Trust.Platform.Policy.Domain.PolicyVersions;
using Trust.Platform.Policy.Features.Configuration;
using Trust.Platform.Policy.Features.Configuration.Effective;
using Trust.Platform.Policy.Features.Configuration.Reviews;
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
/// The calendar and review dates are those of the day it runs, by the platform clock (docs/adr/0007); seeded again on a
/// later day, it rolls the dates it wrote forward and publishes them as a minor version.
/// </summary>
public static class DemoSeeder
{
    public static readonly Guid TrustId = Guid.Parse("0193f1a0-0000-7000-8000-00000000ae70");
    public const string DemoKeyName = "Demo MIS integration";
    private const string SeedActor = "seed-demo";

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
    private static async Task SeedPolicyAsync(PolicyDbContext db, DateTimeOffset now, DateOnly today)
    {
        var policy = await PolicyState.EnsureTrustPolicyAsync(db, now, CancellationToken.None);
        foreach (var (key, value) in DemoPolicy.Baseline(today))
        {
            var definition = SettingCatalogue.ByKey[key];
            db.BaselineSettings.Add(new BaselineSetting
            {
                TrustId = TrustId, Key = key, ValueJson = Normalised(definition, value), Rule = PolicyState.RuleName(definition.Rule),
                UpdatedAt = now, UpdatedBy = SeedActor,
            });
        }

        await db.SaveChangesAsync();
        var baseline = await PolicyState.BaselineAsync(db, CancellationToken.None);
        foreach (var (id, name, _, _, _) in Schools)
        {
            await PolicyState.EnsureSchoolPolicyAsync(db, id, now, CancellationToken.None);
            foreach (var (key, value) in DemoPolicy.Schools(today).GetValueOrDefault(name) ?? new Dictionary<string, System.Text.Json.Nodes.JsonNode?>())
            {
                var definition = SettingCatalogue.ByKey[key];
                var json = Normalised(definition, value);
                // The demo goes through the same rules a headteacher meets.
                if (PolicyMerge.Check(definition, baseline[key], PolicyState.Parse(json)) is { } reason)
                {
                    throw new InvalidOperationException($"Demo override {name}/{key} breaks the trust rule: {reason}");
                }

                db.SchoolOverrides.Add(new SchoolOverride { TrustId = TrustId, SchoolId = id, Key = key, ValueJson = json, UpdatedAt = now, UpdatedBy = SeedActor });
            }
        }

        await db.SaveChangesAsync();
        await SeedSectionsAsync(db, now, CancellationToken.None);
        policy.Version++;
        var version = new PolicyVersion
        {
            TrustId = TrustId, Id = Guid.CreateVersion7(now), Major = 1, Minor = 0, Kind = VersionKind.Major, Status = VersionStatus.Approved,
            Summary = "Trust-wide social media policy with school settings", CreatedAt = now, CreatedBy = SeedActor,
            ApprovedByName = "Chair of the Board of Trustees", ApprovedByBody = "Board of Trustees", ApprovedOn = today,
        };
        db.PolicyVersions.Add(version);
        await db.SaveChangesAsync();
        await PolicyPublication.PublishAsync(db, version, now, CancellationToken.None);
        await db.SaveChangesAsync();
    }

    /// <summary>
    /// Each school's own text of its sections (<see cref="DemoPolicy.Sections"/>), through the rule a headteacher meets: only where
    /// the school's template lets a school write. A section the school already has text for is the school's and stays, so
    /// seeding again adds only what is missing.
    /// </summary>
    private static async Task SeedSectionsAsync(PolicyDbContext db, DateTimeOffset now, CancellationToken cancellationToken)
    {
        foreach (var (id, name, _, _, _) in Schools)
        {
            var sections = DemoPolicy.Sections(name);
            var existing = await db.SectionAmendments.Where(a => a.SchoolId == id).Select(a => a.SectionId).ToListAsync(cancellationToken);
            var missing = sections.Where(s => !existing.Contains(s.Key)).OrderBy(s => s.Key, StringComparer.Ordinal).ToList();
            if (missing.Count == 0)
            {
                continue;
            }

            var template = await Documents.SchoolDocuments.TemplateForAsync(db, id, cancellationToken);
            var schoolPolicy = await PolicyState.EnsureSchoolPolicyAsync(db, id, now, cancellationToken);
            foreach (var (section, markdown) in missing)
            {
                if (Domain.SchoolPolicies.SectionRules.MayAmend(template, section) != Domain.SchoolPolicies.SectionAmendOutcome.Amendable)
                {
                    throw new InvalidOperationException($"Demo section {name}/{section}: the school's template does not let a school write it.");
                }

                db.SectionAmendments.Add(new SectionAmendment { TrustId = TrustId, SchoolId = id, SectionId = section, Markdown = markdown, UpdatedAt = now, UpdatedBy = SeedActor });
            }

            schoolPolicy.Version++;
            schoolPolicy.UpdatedAt = now;
        }

        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>
    /// Seeding again on a later day: the dated values the seed wrote (terms, review dates) move to those of
    /// <paramref name="today"/>, published as a minor version as a trust would. Values someone else changed are theirs
    /// and stay; nothing happens while a version is open or when nothing moved. Returns the version published, if any.
    /// </summary>
    public static async Task<string?> RollDatesForwardAsync(PolicyDbContext db, DateTimeOffset now, DateOnly today, CancellationToken cancellationToken)
    {
        if (await db.PolicyVersions.AnyAsync(v => v.Status == VersionStatus.Draft || v.Status == VersionStatus.Approved, cancellationToken))
        {
            return null;
        }

        var moved = false;
        var baseline = DemoPolicy.Baseline(today);
        foreach (var row in await db.BaselineSettings.Where(b => DemoPolicy.DatedKeys.Contains(b.Key) && b.UpdatedBy == SeedActor).ToListAsync(cancellationToken))
        {
            moved |= MoveTo(row.Key, baseline[row.Key], row.ValueJson, json => row.ValueJson = json, () => (row.UpdatedAt, row.Since) = (now, null));
        }

        var schools = DemoPolicy.Schools(today);
        var names = Schools.ToDictionary(s => s.Id, s => s.Name);
        var movedSchools = new HashSet<Guid>();
        foreach (var row in await db.SchoolOverrides.Where(o => DemoPolicy.DatedKeys.Contains(o.Key) && o.UpdatedBy == SeedActor).ToListAsync(cancellationToken))
        {
            if (names.TryGetValue(row.SchoolId, out var name) && schools[name].TryGetValue(row.Key, out var value) &&
                MoveTo(row.Key, value, row.ValueJson, json => row.ValueJson = json, () => (row.UpdatedAt, row.Since) = (now, null)))
            {
                movedSchools.Add(row.SchoolId);
            }
        }

        var last = await db.PolicyVersions.Where(v => v.Status == VersionStatus.Published || v.Status == VersionStatus.Superseded)
            .OrderByDescending(v => v.Major).ThenByDescending(v => v.Minor).FirstOrDefaultAsync(cancellationToken);
        if ((!moved && movedSchools.Count == 0) || last is null)
        {
            return null;
        }

        // The ETags of what changed (the baseline, each school's overrides), as an edit through the API would move them.
        if (moved)
        {
            var policy = await PolicyState.EnsureTrustPolicyAsync(db, now, cancellationToken);
            policy.Version++;
            policy.UpdatedAt = now;
        }

        foreach (var schoolPolicy in await db.SchoolPolicies.Where(p => movedSchools.Contains(p.SchoolId)).ToListAsync(cancellationToken))
        {
            schoolPolicy.Version++;
            schoolPolicy.UpdatedAt = now;
        }

        var version = new PolicyVersion
        {
            TrustId = TrustId, Id = Guid.CreateVersion7(now), Major = last.Major, Minor = last.Minor + 1, Kind = VersionKind.Minor, Status = VersionStatus.Draft,
            Summary = $"Term dates and review dates for the school years from {EnglishSchoolYear.YearOf(today)}", CreatedAt = now, CreatedBy = SeedActor,
        };
        db.PolicyVersions.Add(version);
        await db.SaveChangesAsync(cancellationToken);
        await PolicyPublication.PublishAsync(db, version, now, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        return version.Label;

        static bool MoveTo(string key, System.Text.Json.Nodes.JsonNode? value, string? stored, Action<string?> store, Action stamp)
        {
            var json = Normalised(SettingCatalogue.ByKey[key], value);
            if (System.Text.Json.Nodes.JsonNode.DeepEquals(PolicyState.Parse(stored), PolicyState.Parse(json)))
            {
                return false;
            }

            store(json);
            stamp();
            return true;
        }
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
        var today = PlatformClock.LocalDate(now, Features.Schools.SchoolRequest.DefaultTimeZone);

        if (!await db.Trusts.AnyAsync())
        {
            db.Trusts.Add(new TrustOrganisation { TrustId = TrustId, Name = "Aspire Educational Trust", CreatedAt = now });
            db.TrustMembers.Add(new TrustMember
            {
                Id = Guid.CreateVersion7(now), DisplayName = "AET chief executive", Email = "ceo@aet.example",
                Roles = [Roles.TrustAdmin], CreatedAt = now, UpdatedAt = now,
            });
        }

        var existing = await db.Schools.Select(s => s.Id).ToListAsync();
        foreach (var (id, name, urn, phase, localAuthority) in Schools.Where(s => !existing.Contains(s.Id)))
        {
            var school = new School
            {
                TrustId = TrustId, Id = id, Name = name, Urn = urn, Phase = phase, LocalAuthority = localAuthority,
                TimeZone = Features.Schools.SchoolRequest.DefaultTimeZone, Version = 1, CreatedAt = now, UpdatedAt = now,
            };
            db.Schools.Add(school);
            db.AddEvent(Features.Schools.SchoolEvents.Added(school, now), school.Id.ToString(), now);
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
            Scopes = [.. Scopes.All.Order(StringComparer.Ordinal)], SchoolIds = [], RateLimitPerMinute = 6000, CreatedAt = now, CreatedBy = SeedActor,
        };
        db.ApiKeys.Add(key);
        db.AddEvent(new ApiKeyIssued(Guid.CreateVersion7(now), TrustId, now, key.Id, key.Name, key.Prefix, key.Hash, key.Scopes, key.SchoolIds, key.RateLimitPerMinute),
            "apikey:" + key.Id, now);
        await db.SaveChangesAsync();
        string? rolled = null;
        if (await db.PolicyVersions.AnyAsync())
        {
            await SeedSectionsAsync(db, now, CancellationToken.None);
            rolled = await RollDatesForwardAsync(db, now, today, CancellationToken.None);
            scope.ServiceProvider.GetService<TenantReadCache<JsonBytesResult<EffectivePolicyResponse>>>()?.Invalidate(TrustId);
        }
        else
        {
            await SeedPolicyAsync(db, now, today);
        }

        // Reminders already due on this day go out now rather than at the service's next hourly run.
        if (scope.ServiceProvider.GetService<ReviewReminderService>() is { } reminders)
        {
            await reminders.SweepAsync(CancellationToken.None);
        }

        await output.WriteLineAsync("Demo trust: Aspire Educational Trust (" + TrustId + ")");
        foreach (var (id, name, _, _, _) in Schools)
        {
            await output.WriteLineAsync($"  school {id}  {name}");
        }

        await WriteCalendarAsync(db, time, today, rolled, output);

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

    /// <summary>What the demo day looks like: the term (or the holiday and the next term) and each school's review.</summary>
    private static async Task WriteCalendarAsync(PolicyDbContext db, TimeProvider time, DateOnly today, string? rolled, TextWriter output)
    {
        var now = time.GetUtcNow();
        var terms = DemoPolicy.Dates.For(today).Terms;
        var current = terms.FirstOrDefault(t => t.Start <= today && today <= t.End);
        var next = terms.First(t => t.Start > today);
        await output.WriteLineAsync();
        await output.WriteLineAsync($"Demo day: {today.ToString("dddd d MMMM yyyy", System.Globalization.CultureInfo.InvariantCulture)} ({Features.Schools.SchoolRequest.DefaultTimeZone}, {now:yyyy-MM-ddTHH:mm}Z)" +
            (current is null ? $"; holiday, {next.Name} starts {next.Start:yyyy-MM-dd}" : $"; {current.Name} ({current.Start:yyyy-MM-dd} to {current.End:yyyy-MM-dd})"));
        if (rolled is not null)
        {
            await output.WriteLineAsync($"Term and review dates rolled forward to this day: version {rolled} published.");
        }

        await output.WriteLineAsync("Policy reviews (GET /v1/policy/reviews):");
        foreach (var review in await PolicyReviews.ComputeAsync(db, time, CancellationToken.None))
        {
            var sent = string.Join(", ", review.Reminders.Where(r => r.SentAt is not null).Select(r => r.Reminder));
            await output.WriteLineAsync($"  {review.SchoolName,-30} {review.NextReviewDate:yyyy-MM-dd}  {ReviewSchedule.Name(review.Status)}" + (sent.Length == 0 ? "" : $" (reminders sent: {sent})"));
        }
    }
}
