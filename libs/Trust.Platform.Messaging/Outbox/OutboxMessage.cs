using System.Diagnostics;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Trust.Platform.Contracts;
using Trust.Platform.Data.Tenancy;

namespace Trust.Platform.Messaging.Outbox;

/// <summary>An event waiting to be delivered. Written by the handler's own SaveChanges, so it commits with the business row.</summary>
public sealed class OutboxMessage
{
    public Guid Id { get; set; }

    public string MessageType { get; set; } = "";

    public string Body { get; set; } = "";

    /// <summary>W3C trace context of the unit of work that wrote the event (traceparent, tracestate).</summary>
    public string Headers { get; set; } = "{}";

    /// <summary>Events of one aggregate (a school, a case) are delivered in the order they were written.</summary>
    public string AggregateId { get; set; } = "";

    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>A DbContext that can carry outbox rows.</summary>
public interface IOutboxContext
{
    DbSet<OutboxMessage> OutboxMessages { get; }

    TenantContext Tenant { get; }
}

public static class OutboxExtensions
{
    internal static readonly JsonSerializerOptions SerializerOptions = new(JsonSerializerDefaults.Web);

    /// <summary>
    /// Adds <paramref name="integrationEvent"/> to the outbox of this unit of work; it is sent only if
    /// the caller's SaveChanges (and transaction) commits.
    /// </summary>
    public static void AddEvent<TEvent>(this IOutboxContext context, TEvent integrationEvent, string aggregateId, DateTimeOffset now)
        where TEvent : class, IIntegrationEvent
    {
        ArgumentException.ThrowIfNullOrEmpty(aggregateId);
        if (context.Tenant.TrustId != integrationEvent.TrustId)
        {
            throw new TenantMismatchException($"A {typeof(TEvent).Name} for another trust was written in this scope.");
        }

        context.OutboxMessages.Add(new OutboxMessage
        {
            Id = integrationEvent.EventId,
            MessageType = EventTypes.NameOf(typeof(TEvent)),
            Body = JsonSerializer.Serialize(integrationEvent, SerializerOptions),
            Headers = CurrentTraceHeaders(),
            AggregateId = aggregateId,
            CreatedAt = now,
        });
    }

    /// <summary>The W3C trace context of the current unit of work (traceparent, tracestate) as an outbox row's headers.</summary>
    internal static string CurrentTraceHeaders()
    {
        var headers = new Dictionary<string, string>();
        if (Activity.Current is { IdFormat: ActivityIdFormat.W3C } activity)
        {
            headers["traceparent"] = activity.Id!;
            if (activity.TraceStateString is { Length: > 0 } state)
            {
                headers["tracestate"] = state;
            }
        }

        return JsonSerializer.Serialize(headers, SerializerOptions);
    }

    public static ModelBuilder AddOutbox(this ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<OutboxMessage>(entity =>
        {
            entity.ToTable("outbox_messages");
            entity.HasKey(m => m.Id);
            entity.Property(m => m.Id).HasColumnName("id").ValueGeneratedNever();
            entity.Property(m => m.MessageType).HasColumnName("message_type");
            entity.Property(m => m.Body).HasColumnName("body").HasColumnType("json");
            entity.Property(m => m.Headers).HasColumnName("headers").HasColumnType("json");
            entity.Property(m => m.AggregateId).HasColumnName("aggregate_id");
            entity.Property(m => m.CreatedAt).HasColumnName("created_at");
        });
        return modelBuilder;
    }
}

/// <summary>Maps event types to stable names (the type's full name) and back; only contract types are accepted.</summary>
public static class EventTypes
{
    private static readonly Dictionary<string, Type> ByName = typeof(IIntegrationEvent).Assembly.GetTypes()
        .Where(t => t is { IsClass: true, IsAbstract: false } && typeof(IIntegrationEvent).IsAssignableFrom(t))
        .ToDictionary(t => t.FullName!, StringComparer.Ordinal);

    public static string NameOf(Type type) =>
        ByName.ContainsKey(type.FullName ?? "")
            ? type.FullName!
            : throw new ArgumentException($"{type} is not an event contract of Trust.Platform.Contracts.");

    public static Type? Resolve(string name) => ByName.GetValueOrDefault(name);
}
