using System.Security.Claims;
using Trust.Platform.Data.Tenancy;
using Trust.Platform.Hosting.Auth;

namespace Trust.Platform.Libs.Tests;

[Trait("Category", "Unit")]
public sealed class PrincipalTests
{
    private static readonly Guid Trust = Guid.NewGuid();
    private static readonly Guid SchoolA = Guid.NewGuid();
    private static readonly Guid SchoolB = Guid.NewGuid();

    private static PlatformPrincipal User(params string[] roles) => PlatformPrincipal.From(new ClaimsPrincipal(new ClaimsIdentity(
        [new Claim(PlatformClaims.Subject, "u"), new Claim(PlatformClaims.Trust, Trust.ToString()), .. roles.Select(r => new Claim(PlatformClaims.Role, r))], "test")));

    [Fact]
    public void A_school_role_covers_only_its_school()
    {
        var head = User($"headteacher:{SchoolA}");
        head.CanActForSchool(SchoolA, Roles.Headteacher).Should().BeTrue();
        head.CanActForSchool(SchoolB, Roles.Headteacher).Should().BeFalse();
        head.CanActForSchool(SchoolA, Roles.Dsl).Should().BeFalse("a role covers only itself");
        head.SchoolsFor(Roles.Headteacher).Should().BeEquivalentTo([SchoolA]);
    }

    [Fact]
    public void A_trust_wide_role_covers_every_school()
    {
        var admin = User(Roles.TrustAdmin);
        admin.CanActForSchool(SchoolB, Roles.TrustAdmin).Should().BeTrue();
        admin.SchoolsFor(Roles.TrustAdmin, Roles.Headteacher).Should().BeNull();
    }

    [Fact]
    public void Records_name_the_most_specific_role_the_caller_acts_through_at_the_school()
    {
        var headAndDsl = User($"headteacher:{SchoolA}", $"dsl:{SchoolA}", Roles.TrustAdmin, Roles.Chair);
        headAndDsl.RoleAt(SchoolA).Should().Be(Roles.Dsl);
        headAndDsl.RoleAt(SchoolB).Should().Be(Roles.Chair, "at another school only the trust-wide grants hold");
        headAndDsl.RoleAt(SchoolA, [Roles.TrustAdmin, Roles.Headteacher]).Should().Be(Roles.Headteacher, "only the roles asked about count");
        User($"staff:{SchoolA}").RoleAt(SchoolB).Should().Be("none");
    }

    [Fact]
    public void Unknown_or_malformed_roles_grant_nothing()
    {
        var user = User("superuser", "headteacher:not-a-guid", $"wizard:{SchoolA}");
        user.RoleNames.Should().BeEmpty();
        new AccessRequirement([Roles.Headteacher], []).IsSatisfiedBy(user).Should().BeFalse();
    }

    [Theory]
    [InlineData(Roles.Dsl)]
    [InlineData(Roles.Headteacher)]
    [InlineData(Roles.Staff)]
    [InlineData(Roles.MarketingOfficer)]
    [InlineData(Roles.IctTechnician)]
    public void A_school_role_that_names_no_school_grants_nothing(string role)
    {
        var user = User(role);
        user.CanActForSchool(SchoolA, role).Should().BeFalse();
        user.SchoolsFor(role).Should().BeEmpty();
        new AccessRequirement([role], []).IsSatisfiedBy(user).Should().BeFalse();
    }

    [Theory]
    [InlineData(Roles.TrustAdmin)]
    [InlineData(Roles.Chair)]
    public void A_trust_wide_role_needs_no_school(string role) =>
        User(role).CanActForSchool(SchoolA, role).Should().BeTrue();

    [Fact]
    public void A_token_carrying_api_key_claims_does_not_make_an_api_key()
    {
        // What JwtBearer builds from a signed token that carries tp_key and tp_scope.
        var forged = PlatformPrincipal.From(new ClaimsPrincipal(new ClaimsIdentity(
            [
                new Claim(PlatformClaims.Subject, "apikey:1"), new Claim(PlatformClaims.KeyId, Guid.NewGuid().ToString()),
                new Claim(PlatformClaims.Trust, Trust.ToString()), new Claim(PlatformClaims.Scope, Scopes.DirectoryWrite),
                new Claim(PlatformClaims.RateLimit, "100000"),
            ], "AuthenticationTypes.Federation")));
        forged.IsApiKey.Should().BeFalse();
        forged.Scopes.Should().BeEmpty();
        forged.RateLimitPerMinute.Should().BeNull();
        new AccessRequirement([Roles.TrustAdmin], [Scopes.DirectoryWrite]).IsSatisfiedBy(forged).Should().BeFalse();
    }

    [Fact]
    public void An_api_key_is_limited_by_its_scopes_and_school_restriction()
    {
        var key = PlatformPrincipal.From(new ClaimsPrincipal(new ClaimsIdentity(
            [
                new Claim(PlatformClaims.Subject, "apikey:1"), new Claim(PlatformClaims.KeyId, Guid.NewGuid().ToString()),
                new Claim(PlatformClaims.Trust, Trust.ToString()), new Claim(PlatformClaims.Scope, Scopes.RosterWrite),
                new Claim(PlatformClaims.KeySchool, SchoolA.ToString()),
            ], "ApiKey")));
        new AccessRequirement([Roles.TrustAdmin], [Scopes.RosterWrite]).IsSatisfiedBy(key).Should().BeTrue();
        new AccessRequirement([Roles.TrustAdmin], [Scopes.DirectoryWrite]).IsSatisfiedBy(key).Should().BeFalse();
        key.CanActForSchool(SchoolA).Should().BeTrue();
        key.CanActForSchool(SchoolB).Should().BeFalse();
    }

    private static PlatformPrincipal Key(params Guid[] schools) => PlatformPrincipal.From(new ClaimsPrincipal(new ClaimsIdentity(
        [
            new Claim(PlatformClaims.Subject, "apikey:1"), new Claim(PlatformClaims.KeyId, Guid.NewGuid().ToString()),
            new Claim(PlatformClaims.Trust, Trust.ToString()), new Claim(PlatformClaims.Scope, Scopes.DirectoryWrite),
            .. schools.Select(s => new Claim(PlatformClaims.KeySchool, s.ToString())),
        ], AuthSetup.ApiKeyScheme)));

    [Fact]
    public void A_trust_wide_endpoint_refuses_a_school_restricted_key_and_a_trust_role_granted_for_one_school()
    {
        var trustWide = new AccessRequirement([Roles.TrustAdmin], [Scopes.DirectoryWrite], WholeTrust: true);
        trustWide.IsSatisfiedBy(Key()).Should().BeTrue("a key without a school restriction reaches every school");
        trustWide.IsSatisfiedBy(Key(SchoolA)).Should().BeFalse();
        trustWide.IsSatisfiedBy(User(Roles.TrustAdmin)).Should().BeTrue();
        trustWide.IsSatisfiedBy(User($"{Roles.TrustAdmin}:{SchoolA}")).Should().BeFalse();
        new AccessRequirement([Roles.TrustAdmin], [Scopes.DirectoryWrite]).IsSatisfiedBy(Key(SchoolA)).Should().BeTrue("a school endpoint checks the school itself");
    }

    [Fact]
    public void A_user_without_a_trust_is_refused_everything_but_operator_endpoints()
    {
        var stray = PlatformPrincipal.From(new ClaimsPrincipal(new ClaimsIdentity([new Claim(PlatformClaims.Subject, "x"), new Claim(PlatformClaims.Role, Roles.TrustAdmin)], "test")));
        new AccessRequirement([Roles.TrustAdmin], []).IsSatisfiedBy(stray).Should().BeFalse();
        new AccessRequirement([Roles.PlatformOperator, Roles.TrustAdmin], []).IsSatisfiedBy(stray).Should().BeFalse("its trust role needs a trust");
    }

    [Fact]
    public void Api_keys_are_random_and_their_prefix_is_parsed_back()
    {
        var (key, prefix, hash) = ApiKeySecret.Generate();
        var (other, _, otherHash) = ApiKeySecret.Generate();
        key.Should().NotBe(other);
        ApiKeySecret.PrefixOf(key).Should().Be(prefix);
        ApiKeySecret.Hash(key).Should().Equal(hash).And.NotEqual(otherHash);
        ApiKeySecret.PrefixOf("tpk_short").Should().BeNull();
        ApiKeySecret.PrefixOf("Bearer something-else-entirely-long-enough").Should().BeNull();
    }

    [Fact]
    public void A_scope_acts_for_one_trust_only()
    {
        var tenant = new TenantContext();
        tenant.Set(Trust);
        tenant.Set(Trust);
        var act = () => tenant.Set(Guid.NewGuid());
        act.Should().Throw<InvalidOperationException>();
        var empty = () => new TenantContext().Set(Guid.Empty);
        empty.Should().Throw<ArgumentException>();
    }

    [Theory]
    [InlineData("TrustId", "trust_id")]
    [InlineData("UpdatedAt", "updated_at")]
    [InlineData("URNValue", "urn_value")]
    public void Property_names_map_to_snake_case_columns(string property, string column) =>
        TenantDbContext.SnakeCase(property).Should().Be(column);
}
