using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Trust.Platform.Messaging.Outbox;

/// <summary>Wakes the dispatcher as soon as a commit may have written outbox rows, instead of waiting for the next poll.</summary>
public sealed class OutboxSignal
{
    private readonly SemaphoreSlim _pulse = new(0, 1);

    public void Notify()
    {
        if (_pulse.CurrentCount == 0)
        {
            try
            {
                _pulse.Release();
            }
            catch (SemaphoreFullException)
            {
                // Another commit already woke the dispatcher.
            }
        }
    }

    /// <summary>Waits for a commit or the poll interval (rows committed by another process), whichever comes first.</summary>
    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => _pulse.WaitAsync(timeout, cancellationToken);
}

/// <summary>Notifies <see cref="OutboxSignal"/> after SaveChanges outside a transaction and after every commit.</summary>
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
