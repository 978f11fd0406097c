using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Trust.Platform.Data.Tenancy;

namespace Trust.Platform.Hosting.Time;

/// <summary>
/// The one way background work visits the trusts (review reminders, overdue cases, training expiry, leavers). Outside a
/// request there is no tenant, so each pass first asks which trusts (and what within them) have work due at the
/// platform clock's now (a SECURITY DEFINER function listing keys only, the one read that crosses tenants), then runs
/// each in its own scope with the tenant set explicitly. A failure for one trust is logged and the others go on;
/// the next pass tries it again.
/// </summary>
/// <typeparam name="TDue">What a pass visits: a trust id, or a (trust, school) pair.</typeparam>
public abstract partial class TrustSweep<TDue>(IServiceScopeFactory scopes, TimeProvider time, ILogger logger) : BackgroundService
{
    protected TimeProvider Time { get; } = time;

    /// <summary>How often a pass runs.</summary>
    protected abstract TimeSpan Interval { get; }

    /// <summary>The work due at <paramref name="now"/>, read without a tenant.</summary>
    protected abstract Task<IReadOnlyList<TDue>> DueAsync(IServiceProvider services, DateTimeOffset now, CancellationToken cancellationToken);

    protected abstract Guid TrustOf(TDue due);

    /// <summary>Does the work for one item in a scope whose tenant is its trust; returns how many things it changed.</summary>
    protected abstract Task<int> VisitAsync(IServiceProvider scoped, TDue due, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>One pass over everything due now (tests call it directly); returns the number of things changed.</summary>
    public async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        var now = Time.GetUtcNow();
        IReadOnlyList<TDue> due;
        await using (var unscoped = scopes.CreateAsyncScope())
        {
            due = await DueAsync(unscoped.ServiceProvider, now, cancellationToken);
        }

        var changed = 0;
        foreach (var item in due)
        {
            await using var scope = scopes.CreateAsyncScope();
            scope.ServiceProvider.GetRequiredService<TenantContext>().Set(TrustOf(item));
            try
            {
                changed += await VisitAsync(scope.ServiceProvider, item, now, cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                VisitFailed(logger, GetType().Name, TrustOf(item), ex);
            }
        }

        return changed;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, Time);
        do
        {
            try
            {
                await SweepAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                PassFailed(logger, GetType().Name, ex);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    [LoggerMessage(EventId = 7001, Level = LogLevel.Error, Message = "{Sweep}: the pass failed; the next one tries again")]
    private static partial void PassFailed(ILogger logger, string sweep, Exception exception);

    [LoggerMessage(EventId = 7002, Level = LogLevel.Error, Message = "{Sweep}: trust {TrustId} failed; the next pass tries again")]
    private static partial void VisitFailed(ILogger logger, string sweep, Guid trustId, Exception exception);
}
