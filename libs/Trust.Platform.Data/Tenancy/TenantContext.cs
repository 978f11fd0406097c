namespace Trust.Platform.Data.Tenancy;

/// <summary>
/// The trust (tenant) the current unit of work acts for. Scoped: a request sets it from the
/// authenticated principal; a consumer, the outbox dispatcher or a scheduler sets it explicitly from
/// the message it handles. There is no ambient default: unset means "no tenant", which reads nothing.
/// </summary>
public sealed class TenantContext
{
    public Guid? TrustId { get; private set; }

    public void Set(Guid trustId)
    {
        if (trustId == Guid.Empty)
        {
            throw new ArgumentException("A tenant id cannot be empty.", nameof(trustId));
        }

        if (TrustId is { } current && current != trustId)
        {
            // One scope acts for one trust; switching mid-scope would mix tenants in one DbContext.
            throw new InvalidOperationException("This scope already acts for another trust.");
        }

        TrustId = trustId;
    }
}

/// <summary>Implemented by every tenant-owned entity: its table has a <c>trust_id</c> column under RLS.</summary>
public interface ITenantEntity
{
    Guid TrustId { get; set; }
}

public sealed class TenantMismatchException(string message) : InvalidOperationException(message);
