namespace Trust.Platform.Data;

/// <summary>Bound from configuration: <c>ConnectionStrings:App</c>, <c>ConnectionStrings:Owner</c>, <c>Database:*</c>.</summary>
public sealed class DatabaseOptions
{
    /// <summary>The service's schema, e.g. <c>policy</c>.</summary>
    public string Schema { get; set; } = "";

    /// <summary>The login role the service runs as: owns nothing, no BYPASSRLS.</summary>
    public string AppRole { get; set; } = "trust_app";

    /// <summary>Apply pending migrations at start-up (as the owner role) before serving requests.</summary>
    public bool MigrateOnStartup { get; set; }

    public string AppConnectionString { get; set; } = "";

    public string? OwnerConnectionString { get; set; }
}
