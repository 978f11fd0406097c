namespace Trust.Platform.Data;

/// <summary>
/// Bound from configuration: <c>ConnectionStrings:App</c>, <c>ConnectionStrings:Owner</c>, <c>ConnectionStrings:Dispatcher</c>,
/// <c>Database:*</c>.
/// </summary>
public sealed class DatabaseOptions
{
    public const string DefaultDispatcherRole = "trust_dispatcher";

    /// <summary>The service's schema, e.g. <c>policy</c>.</summary>
    public string Schema { get; set; } = "";

    /// <summary>The login role the service runs as: owns nothing, no BYPASSRLS.</summary>
    public string AppRole { get; set; } = "trust_app";

    /// <summary>
    /// The outbox dispatcher's login role: owns nothing, no BYPASSRLS, and may only EXECUTE the outbox claim, mark and
    /// purge functions, which the app role may not (platform migration 0008).
    /// </summary>
    public string DispatcherRole { get; set; } = DefaultDispatcherRole;

    /// <summary>Apply pending migrations at start-up (as the owner role) before serving requests.</summary>
    public bool MigrateOnStartup { get; set; }

    public string AppConnectionString { get; set; } = "";

    public string? OwnerConnectionString { get; set; }

    /// <summary>The outbox dispatcher's connection, as <see cref="DispatcherRole"/>; the request path never uses it.</summary>
    public string? DispatcherConnectionString { get; set; }
}
