using Trust.Platform.Benchmarks;

// Benchmarks print figures against a baseline measured in the same run; they assert nothing and
// are not part of the test command. Run with: bash deploy/bench.sh <name>
switch (args.FirstOrDefault())
{
    case "outbox":
        await OutboxBenchmark.RunAsync(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 1000);
        return 0;
    case "incidents":
        await IncidentsBenchmark.RunAsync(
            args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 2000,
            args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 16);
        return 0;
    default:
        Console.Error.WriteLine("usage: Trust.Platform.Benchmarks outbox [events] | incidents [cases] [concurrency]");
        return 2;
}
