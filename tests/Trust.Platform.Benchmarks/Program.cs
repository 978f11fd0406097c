using Trust.Platform.Benchmarks;

// Benchmarks print figures against a baseline measured in the same run; they assert nothing and
// are not part of the test command. Run with: bash deploy/bench.sh <name>
// WebApplicationFactory finds a service's content root from attributes only test projects get; say it here.
foreach (var service in new[] { "Policy", "Accounts", "Incidents", "Training", "Gateway", "Console" })
{
    Environment.SetEnvironmentVariable(
        $"ASPNETCORE_TEST_CONTENTROOT_TRUST_PLATFORM_{service.ToUpperInvariant()}",
        Path.Combine(Trust.Platform.TestSupport.OpenApiGolden.RepositoryRoot(), "services", service));
}

switch (args.FirstOrDefault())
{
    case "outbox":
        await OutboxBenchmark.RunAsync(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 1000);
        return 0;
    case "policy":
        await PolicyBenchmark.RunAsync(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 500);
        return 0;
    case "incidents":
        await IncidentsBenchmark.RunAsync(
            args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 2000,
            args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 16);
        return 0;
    case "training":
        await TrainingBenchmark.RunAsync(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 10_000);
        return 0;
    case "notify":
        await NotifyBenchmark.RunAsync(
            args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 1000,
            args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 20);
        return 0;
    case "cases":
        await CaseSearchBenchmark.RunAsync(
            args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 200_000,
            args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 500);
        return 0;
    case "training-import":
        await TrainingImportBenchmark.RunAsync(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 10_000);
        return 0;
    case "idle":
        await IdleBenchmark.RunAsync(
            args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 60,
            args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 20);
        return 0;
    case "console":
        await ConsoleBenchmark.RunAsync(
            args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 500,
            args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 20_000);
        return 0;
    case "story":
        await StoryBenchmark.RunAsync(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 200);
        return 0;
    default:
        System.Console.Error.WriteLine("usage: Trust.Platform.Benchmarks outbox [events] | policy [schools] | incidents [cases] [concurrency] | training [people] | training-import [rows] | cases [cases] [schools] | story [schools] | console [schools] [cases] | notify [events] [per second] | idle [idle seconds] [load seconds per service]");
        return 2;
}
