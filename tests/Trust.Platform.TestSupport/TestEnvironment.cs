using System.Diagnostics;
using Npgsql;

namespace Trust.Platform.TestSupport;

/// <summary>
/// The real PostgreSQL and RabbitMQ the tests run against, named by environment variables that
/// <c>deploy/test.sh</c> sets. Missing variables fail loudly: these tests never fall back to fakes.
/// </summary>
public static class TestEnvironment
{
    public static string Require(string name) =>
        Environment.GetEnvironmentVariable(name) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException(
                $"Environment variable {name} is not set. These tests need a real PostgreSQL and RabbitMQ: run them with `bash deploy/test.sh`, " +
                "or `eval \"$(bash deploy/local/servers.sh env)\"` after `bash deploy/local/servers.sh up`.");

    public static string PgHost => Require("TP_PG_HOST");

    public static int PgPort => int.Parse(Require("TP_PG_PORT"), System.Globalization.CultureInfo.InvariantCulture);

    public static string RunId => Environment.GetEnvironmentVariable("TP_TEST_RUN_ID") is { Length: > 0 } id
        ? new string(id.ToLowerInvariant().Where(char.IsAsciiLetterOrDigit).ToArray())
        : Guid.NewGuid().ToString("N")[..8];

    public static string OwnerConnectionString(string database, int? maxPoolSize = null) => new NpgsqlConnectionStringBuilder
    {
        Host = PgHost, Port = PgPort, Database = database,
        Username = Require("TP_PG_OWNER_USER"), Password = Require("TP_PG_OWNER_PASSWORD"),
        MaxPoolSize = maxPoolSize ?? 20,
    }.ConnectionString;

    public static string AppConnectionString(string database, int? maxPoolSize = null) => new NpgsqlConnectionStringBuilder
    {
        Host = PgHost, Port = PgPort, Database = database,
        Username = Require("TP_PG_APP_USER"), Password = Require("TP_PG_APP_PASSWORD"),
        MaxPoolSize = maxPoolSize ?? 30,
    }.ConnectionString;

    public static string AppRole => Require("TP_PG_APP_USER");

    /// <summary>The outbox dispatcher's login (deploy/local/servers.sh): may only EXECUTE the outbox functions.</summary>
    public static string DispatcherConnectionString(string database, int? maxPoolSize = null) => new NpgsqlConnectionStringBuilder
    {
        Host = PgHost, Port = PgPort, Database = database,
        Username = Require("TP_PG_DISPATCHER_USER"), Password = Require("TP_PG_DISPATCHER_PASSWORD"),
        MaxPoolSize = maxPoolSize ?? 10,
    }.ConnectionString;

    public static string DispatcherRole => Require("TP_PG_DISPATCHER_USER");

    /// <summary>The local SMTP server (OpenSMTPD, deploy/local/servers.sh): accepts any address on loopback.</summary>
    public static string SmtpHost => Require("TP_SMTP_HOST");

    public static int SmtpPort => int.Parse(Require("TP_SMTP_PORT"), System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Where the local SMTP server keeps what it accepted: a Maildir per recipient address.</summary>
    public static string MailDirectory => Require("TP_MAIL_DIR");

    public static string RabbitHost => Require("TP_RABBITMQ_HOST");

    public static int RabbitPort => int.Parse(Require("TP_RABBITMQ_PORT"), System.Globalization.CultureInfo.InvariantCulture);

    public static string RabbitUser => Require("TP_RABBITMQ_USER");

    public static string RabbitPassword => Require("TP_RABBITMQ_PASSWORD");

    /// <summary>Runs <c>$TP_RABBITMQ_CTL args</c> (rabbitmqctl for the project's node): its output, or a failure with it.</summary>
    public static Task<string> RabbitCtlAsync(params string[] args) => RabbitCtlWithInputAsync(null, args);

    /// <summary>As <see cref="RabbitCtlAsync"/>, with <paramref name="input"/> on standard input (secrets stay out of argv).</summary>
    public static Task<string> RabbitCtlWithInputAsync(string? input, params string[] args) => RunAsync("TP_RABBITMQ_CTL", input, args);

    /// <summary>
    /// Runs <c>$TP_PG_CTL args</c> (pg_ctl for the local cluster, as deploy/local/servers.sh writes it), e.g. <c>stop -m fast -w</c>:
    /// for the fault tests that stop the database under the services. Their collection runs alone, so no other test sees it.
    /// </summary>
    public static Task<string> PgCtlAsync(params string[] args) => RunAsync("TP_PG_CTL", null, args);

    private static async Task<string> RunAsync(string variable, string? input, string[] args)
    {
        var ctl = Require(variable).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var start = new ProcessStartInfo(ctl[0]) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = input is not null };
        foreach (var a in ctl.Skip(1).Concat(args))
        {
            start.ArgumentList.Add(a);
        }

        using var process = Process.Start(start)!;
        if (input is not null)
        {
            await process.StandardInput.WriteAsync(input);
            process.StandardInput.Close();
        }

        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{variable} {string.Join(' ', args)} failed ({process.ExitCode}): {await stderr}{await stdout}");
        }

        return await stdout;
    }
}
