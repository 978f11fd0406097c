using System.Security.Claims;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using Trust.Platform.Contracts;
using Trust.Platform.Data;
using Trust.Platform.Data.Migrations;
using Trust.Platform.Data.Tenancy;
using Trust.Platform.Hosting;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Hosting.People;
using Trust.Platform.Messaging;
using Trust.Platform.TestSupport;

namespace Trust.Platform.Libs.Tests;

/// <summary>
/// The replica of members and appointments on the real database: events in any order, replayed or stale, leave it as
/// Policy holds it, and a member resolves to the roles of their current posts only.
/// </summary>
public sealed class PeopleReplicaTests : IAsyncLifetime
{
    private const string Schema = "people";
    private static readonly Guid Trust = Guid.CreateVersion7();
    private static readonly Guid OtherTrust = Guid.CreateVersion7();
    private static readonly Guid School = Guid.CreateVersion7();
    private TestDatabase _database = null!;
    private NpgsqlDataSource _dataSource = null!;
    private MemberGrantCache _cache = null!;
    private MemberDirectory _directory = null!;

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync("peoplereplica");
        var platform = MigrationScript.FromAssembly(typeof(ServiceDefaults).Assembly, "platform", "Core.");
        await new MigrationRunner(_database.OwnerConnectionString, Schema, TestEnvironment.AppRole, NullLogger.Instance, TestEnvironment.DispatcherRole)
            .ApplyAsync(MessagingExtensions.Migrations.Concat(platform).OrderBy(s => s.Name, StringComparer.Ordinal));
        _dataSource = NpgsqlDataSource.Create(_database.AppConnectionString);
        _cache = new MemberGrantCache(Options.Create(new PeopleOptions()), TestClock.Provider);
        _directory = new MemberDirectory(_dataSource, Options.Create(new DatabaseOptions { Schema = Schema }), _cache, TestClock.Provider);
    }

    public async Task DisposeAsync()
    {
        await _dataSource.DisposeAsync();
        await _database.DisposeAsync();
    }

    private async Task ApplyAsync(Guid trust, Func<NpgsqlConnection, NpgsqlTransaction, Task> effect)
    {
        await using var connection = await TenantSession.OpenAsync(_dataSource, trust, CancellationToken.None);
        await using var transaction = await connection.BeginTransactionAsync();
        await effect(connection, transaction);
        await transaction.CommitAsync();
        _cache.Forget(trust);
    }

    private Task MemberAsync(MemberChanged m) => ApplyAsync(m.TrustId, (c, t) => PeopleReplica.MemberAsync(c, t, Schema, m, CancellationToken.None));

    private Task StartedAsync(AppointmentStarted a) => ApplyAsync(a.TrustId, (c, t) => PeopleReplica.StartedAsync(c, t, Schema, a, CancellationToken.None));

    private Task EndedAsync(AppointmentEnded a) => ApplyAsync(a.TrustId, (c, t) => PeopleReplica.EndedAsync(c, t, Schema, a, CancellationToken.None));

    private static MemberChanged Member(Guid id, string subject, int version, string name = "Member", string? issuer = null, Guid? staffId = null, Guid? trust = null) =>
        new(Guid.NewGuid(), trust ?? Trust, TestClock.Now, id, name, "member@school.example", subject, issuer, staffId, version);

    private static AppointmentStarted Post(Guid member, Guid appointment, string role, int version = 1, Guid? school = null, DateOnly? startsOn = null, DateOnly? endsOn = null) =>
        new(Guid.NewGuid(), Trust, TestClock.Now, appointment, member, role == Roles.TrustAdmin ? null : school ?? School, role, null,
            startsOn ?? TestClock.Today.AddDays(-30), endsOn, version);

    private static AppointmentEnded End(AppointmentStarted post) =>
        new(Guid.NewGuid(), post.TrustId, TestClock.Now, post.AppointmentId, post.MemberId, post.SchoolId, post.Role, TestClock.Now, "ended");

    private static string Subject() => "oid-" + Guid.NewGuid().ToString("N");

    [Fact]
    public async Task A_member_resolves_to_the_roles_of_their_current_posts_with_deputies_as_dsl_and_the_esafety_team_as_staff()
    {
        var member = Guid.CreateVersion7();
        var subject = Subject();
        var staffId = Guid.NewGuid();
        await MemberAsync(Member(member, subject, 1, staffId: staffId));
        await StartedAsync(Post(member, Guid.NewGuid(), AppointmentRoles.DeputyDsl));
        await StartedAsync(Post(member, Guid.NewGuid(), AppointmentRoles.EsafetyTeam));
        await StartedAsync(Post(member, Guid.NewGuid(), Roles.TrustAdmin));
        await StartedAsync(Post(member, Guid.NewGuid(), Roles.Headteacher, startsOn: TestClock.Today.AddDays(10)));
        await StartedAsync(Post(member, Guid.NewGuid(), Roles.Chair, startsOn: TestClock.Today.AddDays(-60), endsOn: TestClock.Today.AddDays(-1)));

        var grants = await _directory.FindAsync(Trust, "https://any.example", subject, CancellationToken.None);

        grants!.MemberId.Should().Be(member);
        grants.StaffId.Should().Be(staffId);
        grants.RoleClaims.Should().BeEquivalentTo([$"dsl:{School}", $"staff:{School}", "trust_admin"], "a future post and a post past its last day grant nothing");
    }

    [Fact]
    public async Task A_stale_member_change_changes_nothing_and_a_replay_is_harmless()
    {
        var member = Guid.CreateVersion7();
        var subject = Subject();
        var newer = Member(member, subject, 2, "Renamed", staffId: Guid.NewGuid());
        await MemberAsync(newer);
        await MemberAsync(Member(member, "oid-old-" + subject, 1, "Old name"));
        await MemberAsync(newer);

        (await _directory.FindAsync(Trust, "", subject, CancellationToken.None))!.StaffId.Should().Be(newer.StaffId);
        (await _directory.FindAsync(Trust, "", "oid-old-" + subject, CancellationToken.None)).Should().BeNull();
    }

    [Fact]
    public async Task An_ended_appointment_is_never_revived_by_a_late_or_newer_start()
    {
        var member = Guid.CreateVersion7();
        var subject = Subject();
        await MemberAsync(Member(member, subject, 1));
        var post = Post(member, Guid.NewGuid(), Roles.Dsl);

        await EndedAsync(End(post));
        await StartedAsync(post);
        await StartedAsync(post with { EventId = Guid.NewGuid(), Version = 2, JobTitle = "Changed after the end" });

        (await _directory.FindAsync(Trust, "", subject, CancellationToken.None))!.RoleClaims.Should().BeEmpty();
    }

    [Fact]
    public async Task A_stale_start_does_not_undo_a_newer_change_of_days()
    {
        var member = Guid.CreateVersion7();
        var subject = Subject();
        await MemberAsync(Member(member, subject, 1));
        var appointment = Guid.NewGuid();
        await StartedAsync(Post(member, appointment, Roles.Dsl, version: 2, endsOn: TestClock.Today.AddDays(-1)));
        await StartedAsync(Post(member, appointment, Roles.Dsl, version: 1));

        (await _directory.FindAsync(Trust, "", subject, CancellationToken.None))!.RoleClaims.Should().BeEmpty("version 2 ended the post yesterday");
    }

    [Fact]
    public async Task A_member_who_names_an_issuer_is_not_resolved_from_another_issuers_subject_nor_from_another_trust()
    {
        var member = Guid.CreateVersion7();
        var subject = Subject();
        await MemberAsync(Member(member, subject, 1, issuer: "https://login.microsoftonline.com/aet/v2.0"));
        await StartedAsync(Post(member, Guid.NewGuid(), Roles.Staff));

        (await _directory.FindAsync(Trust, "https://login.microsoftonline.com/aet/v2.0", subject, CancellationToken.None))!.RoleClaims.Should().ContainSingle();
        (await _directory.FindAsync(Trust, "https://accounts.google.com", subject, CancellationToken.None)).Should().BeNull();
        (await _directory.FindAsync(OtherTrust, "https://login.microsoftonline.com/aet/v2.0", subject, CancellationToken.None)).Should().BeNull();
    }

    [Fact]
    public async Task A_known_member_gets_the_replicas_roles_instead_of_the_tokens_and_an_unknown_subject_keeps_the_tokens()
    {
        var member = Guid.CreateVersion7();
        var subject = Subject();
        await MemberAsync(Member(member, subject, 1));
        await StartedAsync(Post(member, Guid.NewGuid(), Roles.Dsl));
        var transform = new MemberRoleClaims(_directory);
        var otherSchool = Guid.NewGuid();

        var known = PlatformPrincipal.From(await transform.TransformAsync(Token(subject, $"headteacher:{otherSchool}")));
        var unknown = PlatformPrincipal.From(await transform.TransformAsync(Token(Subject(), $"headteacher:{otherSchool}")));

        known.CanActForSchool(School, Roles.Dsl).Should().BeTrue();
        known.HasRole(Roles.Headteacher).Should().BeFalse("the trust's record of the member decides, not a claim in their token");
        unknown.CanActForSchool(otherSchool, Roles.Headteacher).Should().BeTrue();
    }

    private static ClaimsPrincipal Token(string subject, string role) => new(new ClaimsIdentity(
        [new Claim(PlatformClaims.Subject, subject), new Claim(PlatformClaims.Trust, Trust.ToString()), new Claim(PlatformClaims.Role, role), new Claim("iss", "trust-platform-dev")],
        "AuthenticationTypes.Federation", PlatformClaims.Subject, PlatformClaims.Role));
}
