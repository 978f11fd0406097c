using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Trust.Platform.Messaging;

namespace Trust.Platform.Policy.Notifications;

/// <summary>
/// Wakes a queue's worker (the mail sender, the webhook deliverer) as soon as a commit in this process has added rows of
/// <typeparamref name="TRow"/>. Between commits the worker sleeps until its queue's next row falls due
/// (<see cref="QueueWait.Until"/>), so an idle queue costs no query but its safety poll (docs/adr/0160).
/// </summary>
public sealed class QueueSignal<TRow> : WakeSignal
    where TRow : class;

/// <summary>Notifies <see cref="QueueSignal{TRow}"/> once a save that added <typeparamref name="TRow"/> rows is committed.</summary>
public sealed class QueueSignalInterceptor<TRow>(QueueSignal<TRow> signal) : DbTransactionInterceptor, ISaveChangesInterceptor
    where TRow : class
{
    private static readonly ConditionalWeakTable<DbContext, object> Added = [];

    public InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        Mark(eventData.Context);
        return result;
    }

    public ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Mark(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        NotifyUnlessInTransaction(eventData.Context);
        return result;
    }

    public ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        NotifyUnlessInTransaction(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public override void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) => NotifyIfAdded(eventData.Context);

    public override Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        NotifyIfAdded(eventData.Context);
        return Task.CompletedTask;
    }

    private static void Mark(DbContext? context)
    {
        if (context is not null && context.ChangeTracker.Entries<TRow>().Any(e => e.State == EntityState.Added))
        {
            Added.AddOrUpdate(context, Added);
        }
    }

    private void NotifyUnlessInTransaction(DbContext? context)
    {
        if (context?.Database.CurrentTransaction is null)
        {
            NotifyIfAdded(context);
        }
    }

    private void NotifyIfAdded(DbContext? context)
    {
        if (context is not null && Added.Remove(context))
        {
            signal.Notify();
        }
    }
}
