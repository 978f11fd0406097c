using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Trust.Platform.Messaging.Outbox;

/// <summary>
/// Wakes the dispatcher as soon as a commit may have written outbox rows, instead of waiting for the outbox's NOTIFY or its
/// safety poll (rows committed by another process).
/// </summary>
public sealed class OutboxSignal : WakeSignal;

/// <summary>
/// Notifies <see cref="OutboxSignal"/> after SaveChanges outside a transaction and after every commit of an outbox context,
/// whatever it wrote. Unlike Policy's <c>QueueSignalInterceptor</c>, which wakes its worker only when the change tracker saw
/// a row of its queue added, this cannot look at tracked entries: outbox rows are also written by binary COPY
/// (<see cref="OutboxBatch"/>) and by SQL that the change tracker never sees. A commit that wrote none costs the
/// dispatcher one claim that finds nothing.
/// </summary>
public sealed class OutboxSignalInterceptor(OutboxSignal signal) : DbTransactionInterceptor, ISaveChangesInterceptor
{
    public override Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        NotifyIfOutbox(eventData.Context);
        return Task.CompletedTask;
    }

    public override void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) => NotifyIfOutbox(eventData.Context);

    public ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        if (eventData.Context?.Database.CurrentTransaction is null)
        {
            NotifyIfOutbox(eventData.Context);
        }

        return ValueTask.FromResult(result);
    }

    public int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        if (eventData.Context?.Database.CurrentTransaction is null)
        {
            NotifyIfOutbox(eventData.Context);
        }

        return result;
    }

    private void NotifyIfOutbox(DbContext? context)
    {
        if (context is IOutboxContext)
        {
            signal.Notify();
        }
    }
}

/// <summary>
/// How the outbox dispatcher's own passes are going (it connects as its own role, so the app role's readiness check says
/// nothing about it): the failures in a row and since when. Read by the readiness check, which reports an outbox that
/// cannot drain instead of ignoring it.
/// </summary>
public sealed class OutboxHealth
{
    private int _failures;
    private long _failingSinceTicks;

    public int ConsecutiveFailures => Volatile.Read(ref _failures);

    public DateTimeOffset? FailingSince => Volatile.Read(ref _failingSinceTicks) is var ticks and not 0 ? new DateTimeOffset(ticks, TimeSpan.Zero) : null;

    public void Succeeded()
    {
        Volatile.Write(ref _failures, 0);
        Volatile.Write(ref _failingSinceTicks, 0);
    }

    public void Failed(DateTimeOffset now)
    {
        if (Interlocked.Increment(ref _failures) == 1)
        {
            Volatile.Write(ref _failingSinceTicks, now.UtcTicks);
        }
    }
}
