using FluentValidation;
using Trust.Platform.Contracts;
using Trust.Platform.Data.Tenancy;
using Trust.Platform.Policy.Model;

namespace Trust.Platform.Policy.Features.Schools;

/// <summary>A school of the trust, as its directory entry.</summary>
public sealed record SchoolResponse(
    Guid Id, string Name, string Urn, SchoolPhase Phase, string? LocalAuthority, string TimeZone,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, int Version)
{
    public static SchoolResponse From(School s) =>
        new(s.Id, s.Name, s.Urn, s.Phase, s.LocalAuthority, s.TimeZone, s.CreatedAt, s.UpdatedAt, s.Version);
}

/// <summary>The fields a trust admin sets on a school, on create and on update (the whole entry: a PUT replaces it).</summary>
/// <param name="Urn">The school's six-digit Unique Reference Number from the DfE's register (Get Information about Schools).</param>
/// <param name="TimeZone">The IANA time zone its days are counted in (SLA clocks, "today" for training); Europe/London when omitted.</param>
public sealed record SchoolRequest(string Name, string Urn, SchoolPhase Phase, string? LocalAuthority = null, string? TimeZone = null)
{
    public const string DefaultTimeZone = "Europe/London";

    public void ApplyTo(School school)
    {
        school.Name = Name.Trim();
        school.Urn = Urn;
        school.Phase = Phase;
        school.LocalAuthority = string.IsNullOrWhiteSpace(LocalAuthority) ? null : LocalAuthority.Trim();
        school.TimeZone = TimeZone ?? DefaultTimeZone;
    }
}

/// <summary>The rules of <see cref="SchoolRequest"/>; the create and update validators both apply them.</summary>
public sealed class SchoolRequestRules : AbstractValidator<SchoolRequest>
{
    public SchoolRequestRules()
    {
        RuleFor(x => x.Name).NotEmpty().WithMessage("Required.").MaximumLength(200);
        RuleFor(x => x.Urn).NotEmpty().WithMessage("Required.").Length(6).Matches("^[0-9]{6}$").WithMessage("A URN is exactly 6 digits.");
        RuleFor(x => x.LocalAuthority).MaximumLength(200);
        RuleFor(x => x.TimeZone).MaximumLength(64)
            .Must(zone => zone is null || TimeZoneInfo.TryFindSystemTimeZoneById(zone, out _)).WithMessage("Not an IANA time zone, e.g. Europe/London.");
    }
}

internal static class SchoolEvents
{
    public static string PhaseName(SchoolPhase phase) => TenantDbContext.SnakeCase(phase.ToString());

    public static SchoolAdded Added(School s, DateTimeOffset now) =>
        new(Guid.CreateVersion7(now), s.TrustId, s.Id, now, s.Name, s.Urn, PhaseName(s.Phase), s.LocalAuthority, s.TimeZone, s.Version);

    public static SchoolUpdated Updated(School s, DateTimeOffset now) =>
        new(Guid.CreateVersion7(now), s.TrustId, s.Id, now, s.Name, s.Urn, PhaseName(s.Phase), s.LocalAuthority, s.TimeZone, s.Version);
}
