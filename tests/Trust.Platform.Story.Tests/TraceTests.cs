using System.Collections.Concurrent;
using System.Diagnostics;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.TestSupport;
using Xunit.Abstractions;

namespace Trust.Platform.Story.Tests;

/// <summary>One trace id from the gateway through Policy, its outbox and RabbitMQ into the consuming services.</summary>
[Collection(StoryCollection.Name)]
public sealed class TraceTests(StoryFixture fixture, ITestOutputHelper output)
{
    [Fact]
    public async Task A_school_added_through_the_gateway_reaches_the_other_services_consumers_in_the_trace_the_caller_chose()
    {
        var traceId = ActivityTraceId.CreateRandom();
        var seen = new ConcurrentBag<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name is "Microsoft.AspNetCore" or "MassTransit",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                if (activity.TraceId == traceId)
                {
                    seen.Add(activity);
                }
            },
        };
        ActivitySource.AddActivityListener(listener);
        var clients = new StoryClients(fixture);
        using var op = clients.As(new DevUser("trace-operator", "Operator", null, [Roles.PlatformOperator]));
        var trust = (await op.PostJsonAsync("/policy/v1/trusts", new { name = "Traced Trust", firstAdmin = new { displayName = "Admin", email = "admin@traced.example" } }))["id"]!.GetValue<Guid>();
        using var admin = clients.As(new DevUser("trace-admin", "Admin", trust, [Roles.TrustAdmin]));
        admin.DefaultRequestHeaders.Add("traceparent", $"00-{traceId}-{ActivitySpanId.CreateRandom()}-01");

        var school = (await admin.PostJsonAsync("/policy/v1/schools", new { name = "Traced Academy", urn = "190001", phase = "primary" }))["id"]!.GetValue<Guid>();

        // The effect itself: each consuming service lists the school (through the gateway).
        foreach (var service in new[] { "accounts", "incidents", "training" })
        {
            await Eventually.Until(async () => (await admin.GetJsonAsync($"/{service}/v1/schools?limit=200")).ToJsonString(), s => s.Contains(school.ToString(), StringComparison.Ordinal),
                because: $"{service} receives SchoolAdded");
        }

        var consumers = await Eventually.Until(
            () => Task.FromResult(seen.Where(a => a.Source.Name == "MassTransit" && a.Kind == ActivityKind.Consumer).ToList()),
            list => list.Count >= 3, because: "a consumer activity in each of Accounts, Incidents and Training continues the caller's trace");
        // The dispatcher's producer span ends on the broker's publisher confirm, which can arrive after all three
        // consumers have finished: wait for it rather than expect it by the time the consumers are seen.
        await Eventually.Until(() => Task.FromResult(seen.Count(a => a.Source.Name == "MassTransit" && a.Kind == ActivityKind.Producer)), n => n >= 1,
            because: "the outbox dispatcher sends in the request's trace");
        foreach (var activity in seen.OrderBy(a => a.StartTimeUtc))
        {
            output.WriteLine($"{activity.Source.Name,-20} {activity.Kind,-9} {activity.DisplayName}");
        }

        seen.Count(a => a.Source.Name == "Microsoft.AspNetCore" && a.Kind == ActivityKind.Server).Should().BeGreaterThanOrEqualTo(2, "the gateway's and Policy's server spans share the trace");
        seen.Should().Contain(a => a.Source.Name == "MassTransit" && a.Kind == ActivityKind.Producer, "the outbox dispatcher sends in the request's trace");
        consumers.Select(a => a.DisplayName).Should().Contain(n => n.Contains("accounts", StringComparison.OrdinalIgnoreCase))
            .And.Contain(n => n.Contains("incidents", StringComparison.OrdinalIgnoreCase))
            .And.Contain(n => n.Contains("training", StringComparison.OrdinalIgnoreCase));
    }
}
