using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace Trust.Platform.Hosting.Observability;

/// <summary>
/// Production logs are one JSON object a line (message template, structured fields, trace id in the scopes), which a
/// cluster's log collector reads without parsing text; Development keeps the plain console. A formatter named in
/// configuration (<c>Logging:Console:FormatterName</c>) wins in every environment.
/// </summary>
public static class ConsoleLogs
{
    public static ILoggingBuilder AddPlatformConsole(this ILoggingBuilder logging, IHostEnvironment environment, IConfiguration configuration)
    {
        if (environment.IsProduction() && string.IsNullOrWhiteSpace(configuration["Logging:Console:FormatterName"]))
        {
            logging.AddJsonConsole(o =>
            {
                o.IncludeScopes = true;
                o.UseUtcTimestamp = true;
                o.TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";
            });
        }

        return logging;
    }
}
