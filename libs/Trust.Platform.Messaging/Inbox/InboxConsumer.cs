using MassTransit;
using Microsoft.EntityFrameworkCore;
using Trust.Platform.Contracts;
using Trust.Platform.Data.Tenancy;

namespace Trust.Platform.Messaging.Inbox;

/// <summary>
/// An idempotent consumer: sets the tenant from the message (there is no request here), claims
/// (event id, consumer) in the inbox and applies its effect in the same transaction. A redelivered or
/// duplicated event finds its claim and does nothing.
/// </summary>
public abstract class InboxConsumer<TMessage, TContext>(TContext db) : IConsumer<TMessage>
    where TMessage : class, IIntegrationEvent
    where TContext : TenantDbContext
{
    protected TContext Db { get; } = db;

    /// <summary>Stable name of this consumer in the inbox; renaming it would replay history, so it is explicit.</summary>
    protected virtual string ConsumerName => GetType().Name;

    public async Task Consume(ConsumeContext<TMessage> context)
    {
        var message = context.Message;
        Db.Tenant.Set(message.TrustId);
        var cancellationToken = context.CancellationToken;
        await using var transaction = await Db.Database.BeginTransactionAsync(cancellationToken);
        // The schema is the model's own identifier (validated by the migration runner), not input. received_at keeps the
        // database's now() (0002_inbox.sql): when the message really arrived, for operators; nothing compares it (docs/adr/0007).
#pragma warning disable EF1002
        var claimed = await Db.Database.ExecuteSqlRawAsync(
            $"INSERT INTO {Db.Model.GetDefaultSchema()}.inbox_messages (message_id, consumer) VALUES ({{0}}, {{1}}) ON CONFLICT DO NOTHING",
            [message.EventId, ConsumerName],
            cancellationToken);
#pragma warning restore EF1002
        if (claimed == 0)
        {
            return;
        }

        await HandleAsync(message, cancellationToken);
        await Db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        Committed(message);
    }

    protected abstract Task HandleAsync(TMessage message, CancellationToken cancellationToken);

    /// <summary>After the effect is committed (not after a duplicate): the place to evict what this replica cached of it.</summary>
    protected virtual void Committed(TMessage message)
    {
    }
}
