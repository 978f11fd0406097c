using Trust.Platform.Benchmarks;

// Benchmarks print figures against a baseline measured in the same run; they assert nothing and
// are not part of the test command. Run with: bash deploy/bench.sh <name>
switch (args.FirstOrDefault())
{
    case "outbox":
        await OutboxBenchmark.RunAsync(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 1000);
        return 0;
    case "training":
        await TrainingBenchmark.RunAsync(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 10_000);
        return 0;
    default:
        Console.Error.WriteLine("usage: Trust.Platform.Benchmarks outbox [events] | training [people]");
        return 2;
}
