using Trust.Platform.Contracts;
using Trust.Platform.Data.Tenancy;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Hosting.Http;
using Trust.Platform.Policy.Model;

namespace Trust.Platform.Policy.Features.Schools;

public sealed record SchoolResponse(
    Guid Id, string Name, string Urn, SchoolPhase Phase, string? LocalAuthority, string TimeZone,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, int Version)
{
    public static SchoolResponse From(School s) =>
        new(s.Id, s.Name, s.Urn, s.Phase, s.LocalAuthority, s.TimeZone, s.CreatedAt, s.UpdatedAt, s.Version);
}

/// <summary>The fields a trust admin sets on a school, on create and on update.</summary>
public sealed record SchoolRequest(string Name, string Urn, SchoolPhase Phase, string? LocalAuthority = null, string? TimeZone = null)
{
    public const string DefaultTimeZone = "Europe/London";

    public FieldErrors Validate()
    {
        var errors = new FieldErrors().Required("name", Name).Optional("localAuthority", LocalAuthority);
        if (string.IsNullOrEmpty(Urn) || Urn.Length != 6 || !Urn.All(char.IsAsciiDigit))
        {
            errors.Add("urn", "A URN is exactly 6 digits.");
        }

        if (TimeZone is not null && !TimeZoneInfo.TryFindSystemTimeZoneById(TimeZone, out _))
        {
            errors.Add("timeZone", "Not an IANA time zone, e.g. Europe/London.");
        }

        return errors;
    }

    public void ApplyTo(School school)
    {
        school.Name = Name.Trim();
        school.Urn = Urn;
        school.Phase = Phase;
        school.LocalAuthority = string.IsNullOrWhiteSpace(LocalAuthority) ? null : LocalAuthority.Trim();
        school.TimeZone = TimeZone ?? DefaultTimeZone;
    }
}

internal static class SchoolAccess
{
    /// <summary>Every role that works in or for a school may read its directory entry.</summary>
    public static readonly string[] Readers =
        [Roles.TrustAdmin, Roles.Headteacher, Roles.Dsl, Roles.MarketingOfficer, Roles.IctTechnician, Roles.Staff, Roles.Chair];

    public static string PhaseName(SchoolPhase phase) => TenantDbContext.SnakeCase(phase.ToString());

    public static SchoolAdded Added(School s, DateTimeOffset now) =>
        new(Guid.CreateVersion7(now), s.TrustId, s.Id, now, s.Name, s.Urn, PhaseName(s.Phase), s.LocalAuthority, s.TimeZone, s.Version);

    public static SchoolUpdated Updated(School s, DateTimeOffset now) =>
        new(Guid.CreateVersion7(now), s.TrustId, s.Id, now, s.Name, s.Urn, PhaseName(s.Phase), s.LocalAuthority, s.TimeZone, s.Version);
}
