namespace Trust.Platform.Hosting.Auth;

/// <summary>
/// The posts a trust appoints its members to (Policy's appointments) and the platform role each grants. Two posts
/// have no role of their own: a deputy DSL acts as the DSL (KCSIE: the deputies are trained to the same standard and
/// stand in for the DSL), and a member of the e-safety team is staff with a job title the notifier names.
/// </summary>
public static class AppointmentRoles
{
    public const string DeputyDsl = "deputy_dsl";
    public const string EsafetyTeam = "esafety_team";

    /// <summary>The posts held at one school.</summary>
    public static readonly IReadOnlyList<string> School =
    [
        Roles.Headteacher, Roles.Dsl, DeputyDsl, Roles.MarketingOfficer, Roles.IctTechnician, EsafetyTeam, Roles.Chair, Roles.Staff,
    ];

    /// <summary>The posts held across the trust (the CEO and the trust's central team).</summary>
    public static readonly IReadOnlyList<string> TrustWide = [Roles.TrustAdmin];

    /// <summary>Posts a headteacher may not fill at their own school: another headteacher and the chair are the trust's appointments.</summary>
    public static readonly IReadOnlyList<string> TrustAppoints = [Roles.Headteacher, Roles.Chair];

    /// <summary>The platform role a post grants.</summary>
    public static string Grants(string post) => post switch
    {
        DeputyDsl => Roles.Dsl,
        EsafetyTeam => Roles.Staff,
        _ => post,
    };

    /// <summary>The <c>tp_role</c> claim value a post grants: <c>role:school</c>, or the bare role across the trust.</summary>
    public static string Claim(string post, Guid? schoolId) => schoolId is { } school ? $"{Grants(post)}:{school}" : Grants(post);
}
