using System.Text.RegularExpressions;
using MassTransit;
using Trust.Platform.Accounts;
using Trust.Platform.Contracts;
using Trust.Platform.Hosting;
using Trust.Platform.Hosting.Directory;
using Trust.Platform.Incidents;
using Trust.Platform.Policy;
using Trust.Platform.TestSupport;
using Trust.Platform.Training;

namespace Trust.Platform.Story.Tests;

/// <summary>
/// The broker rights deploy/local/servers.sh gives each service (its TP_RMQ_PUBLISHES and TP_RMQ_CONSUMES) against
/// the code: a consumer the rights do not cover, or an event nobody may publish, fails here with the list to fix
/// rather than as an ACCESS_REFUSED at start-up.
/// </summary>
[Trait("Category", "Unit")]
public sealed class BrokerRightsTests
{
    private static readonly PlatformServiceInfo[] Services = [PolicyService.Info, AccountsService.Info, IncidentsService.Info, TrainingService.Info];

    /// <summary>MassTransit's exchange for a message type: <c>Namespace:Name</c>.</summary>
    private static string ExchangeOf(Type type) => $"{type.Namespace}:{type.Name}";

    private static IEnumerable<Type> ConsumedBy(PlatformServiceInfo service) =>
        service.Assembly.GetTypes()
            .Concat(service.OwnsDirectory ? [] : [typeof(DirectoryReplicaConsumer)])
            .Where(t => t is { IsAbstract: false, IsClass: true })
            .SelectMany(t => t.GetInterfaces())
            .Where(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IConsumer<>))
            .Select(i => i.GetGenericArguments()[0])
            .Distinct();

    private static bool Matches(string pattern, string name) => Regex.IsMatch(name, pattern, RegexOptions.None, TimeSpan.FromSeconds(1));

    [Fact]
    public async Task Every_service_may_declare_and_bind_the_exchange_of_each_event_its_consumers_handle()
    {
        var rights = (await TestVirtualHost.ServicePermissionsAsync()).ToDictionary(p => p.Service);
        var missing = Services
            .SelectMany(s => ConsumedBy(s).Select(type => (Service: s.Name, Exchange: ExchangeOf(type))))
            .Where(c => !rights.TryGetValue(c.Service, out var p) || !Matches(p.Configure, c.Exchange) || !Matches(p.Read, c.Exchange))
            .Select(c => $"{c.Service} consumes {c.Exchange}")
            .ToList();
        missing.Should().BeEmpty("deploy/local/servers.sh TP_RMQ_CONSUMES must list every event a service's consumers handle");
    }

    /// <summary>
    /// Requests addressed to one service rather than events owned by one: any of the named services may ask, and exactly the
    /// one that acts on it may read it. NotificationRequested: the service that decides who may know asks Policy, which holds
    /// the addresses, to send the mail.
    /// </summary>
    private static readonly Dictionary<Type, (string Consumer, string[] Publishers)> Requests = new()
    {
        [typeof(NotificationRequested)] = ("policy", ["accounts", "incidents", "training"]),
    };

    [Fact]
    public async Task Every_request_may_be_sent_by_exactly_the_services_named_and_read_by_exactly_the_one_that_acts_on_it()
    {
        var rights = await TestVirtualHost.ServicePermissionsAsync();
        foreach (var (type, (consumer, publishers)) in Requests)
        {
            rights.Where(p => Matches(p.Write, ExchangeOf(type))).Select(p => p.Service).Should().BeEquivalentTo(publishers, $"who may send {type.Name}");
            rights.Where(p => Matches(p.Read, ExchangeOf(type))).Select(p => p.Service).Should().Equal([consumer], $"who may read {type.Name}");
        }
    }

    [Fact]
    public async Task Every_event_has_exactly_one_service_that_may_publish_it()
    {
        var rights = await TestVirtualHost.ServicePermissionsAsync();
        var events = typeof(IIntegrationEvent).Assembly.GetTypes()
            .Where(t => t is { IsClass: true, IsAbstract: false } && typeof(IIntegrationEvent).IsAssignableFrom(t) && !Requests.ContainsKey(t));
        var wrong = events
            .Select(type => (Exchange: ExchangeOf(type), Publishers: rights.Where(p => Matches(p.Write, ExchangeOf(type))).Select(p => p.Service).ToList()))
            .Where(e => e.Publishers.Count != 1)
            .Select(e => $"{e.Exchange}: {(e.Publishers.Count == 0 ? "nobody" : string.Join(", ", e.Publishers))}")
            .ToList();
        wrong.Should().BeEmpty("deploy/local/servers.sh TP_RMQ_PUBLISHES names the one service that owns each event");
    }

    [Fact]
    public async Task A_service_may_read_no_queue_or_exchange_named_for_another_service()
    {
        var rights = await TestVirtualHost.ServicePermissionsAsync();
        foreach (var service in rights)
        {
            foreach (var other in rights.Where(o => o.Service != service.Service))
            {
                var queue = $"{other.Service}-directory-replica";
                (Matches(service.Configure, queue) || Matches(service.Write, queue) || Matches(service.Read, queue))
                    .Should().BeFalse($"{service.Service} has no right on {other.Service}'s queue {queue}");
            }
        }
    }
}
