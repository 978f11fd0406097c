using System.Text.Json.Nodes;
using Trust.Platform.Policy.Configuration;

namespace Trust.Platform.Policy.Features.Configuration.Overrides;

/// <summary>A school's own value of one setting.</summary>
/// <param name="Value">The value, of the setting's type in the catalogue (a number of hours, a list of sites, a named person, a list of people).</param>
/// <param name="Since">The published version this value first appeared in; null until it is published.</param>
/// <param name="UpdatedBy">The subject of the user or key that last set it.</param>
public sealed record OverrideResponse(string Key, JsonNode? Value, string? Since, string UpdatedBy, DateTimeOffset UpdatedAt);

/// <summary>A school's overrides, with the version of its policy (the ETag to send in If-Match when changing one).</summary>
public sealed record SchoolOverridesResponse(Guid SchoolId, int Version, IReadOnlyList<OverrideResponse> Overrides);

/// <summary>
/// Seed values for the contract's examples: Mellers Primary School (003) answers within 24 hours against the trust's 48 (002), and names
/// its e-safety team. Plain objects: the contract's generator cannot write a <see cref="JsonNode"/>.
/// </summary>
internal static class OverrideExamples
{
    private const string Mellers = "0193f1a0-0000-7000-8000-000000000003";
    private static readonly DateTimeOffset SetOn = new(2026, 9, 1, 9, 0, 0, TimeSpan.Zero);

    /// <summary>003 line 73: Jo Kervick, Computing Lead; Gary Phillips, IT technician and Jo Travis, SBM.</summary>
    private static object[] ESafetyTeam =>
    [
        new { name = "Jo Kervick", jobTitle = "Computing Lead" },
        new { name = "Gary Phillips", jobTitle = "IT technician" },
        new { name = "Jo Travis", jobTitle = "SBM" },
    ];

    public static object Mellers24Hours => new
    {
        schoolId = Mellers,
        version = 3,
        overrides = new object[]
        {
            new { key = "roles.esafety_team", value = ESafetyTeam, since = "1.0", updatedBy = "demo-mellers-headteacher", updatedAt = SetOn },
            new { key = "sla.response_hours", value = 24, since = "1.0", updatedBy = "demo-mellers-headteacher", updatedAt = SetOn },
        },
    };

    public static object Set24Hours => new { value = 24 };

    public static object Sla24Hours => new
    {
        key = "sla.response_hours", value = 24, source = PolicyMerge.FromSchool, since = (string?)null, rule = "tighten_only", trustValue = 48, conflict = (string?)null,
    };
}
