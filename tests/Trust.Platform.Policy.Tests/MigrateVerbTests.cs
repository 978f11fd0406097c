using System.Diagnostics;
using Trust.Platform.TestSupport;

namespace Trust.Platform.Policy.Tests;

/// <summary>
/// The migration runs as a job of its own with the owner's connection string and nothing else (deploy/k8s: the Job
/// gets the owner Secret, the services the app role's): in Production it must not need the app role's login, the
/// broker or any of the service's own secrets (the webhook signing key, the identity provider).
/// </summary>
public sealed class MigrateVerbTests
{
    [Theory]
    [InlineData("Policy")]
    [InlineData("Accounts")]
    public async Task In_production_the_migrate_verb_needs_only_the_owner_connection_string(string service)
    {
        await using var database = await TestDatabase.CreateAsync("migrateverb");
        var dll = ServiceProcess.DllOf(service);

        var start = new ProcessStartInfo("dotnet", [dll, "migrate"])
        {
            WorkingDirectory = Path.GetDirectoryName(dll)!, RedirectStandardOutput = true, RedirectStandardError = true,
        };
        // Nothing of the test run's configuration may leak into the child: it gets what the Job gets.
        foreach (var key in start.Environment.Keys.Where(k => k.Contains("__", StringComparison.Ordinal) || k.StartsWith("ASPNETCORE_", StringComparison.Ordinal) || k.StartsWith("DOTNET_ENVIRONMENT", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(key);
        }

        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["ConnectionStrings__Owner"] = database.OwnerConnectionString;
        start.Environment["Database__AppRole"] = TestEnvironment.AppRole;
        start.Environment["Database__DispatcherRole"] = TestEnvironment.DispatcherRole;

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        await process.WaitForExitAsync(timeout.Token);

        var firstError = (await errors).Split('\n').FirstOrDefault(l => l.Length > 0) ?? "";
        process.ExitCode.Should().Be(0, $"migrate should succeed with the owner's connection alone, but said: {firstError}");
        (await output).Should().MatchRegex(@"[1-9]\d* migration\(s\) applied\.");
    }
}
