namespace Trust.Platform.Hosting.Http;

/// <summary>
/// The database session a unit of work ran in ended before it committed (the server restarted or failed over), found where
/// Npgsql reports it only as a closed transaction (an <see cref="InvalidOperationException"/>). Nothing was committed; the
/// request is answered 503 with Retry-After like any other database outage (<see cref="PlatformExceptionHandler.DatabaseUnavailable"/>).
/// </summary>
public sealed class DatabaseConnectionLostException(string message, Exception innerException) : Exception(message, innerException);
