using System.Reflection;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace Trust.Platform.Data.Tenancy;

/// <summary>
/// The second tenancy layer (PostgreSQL row-level security is the first, see docs/adr/0001):
/// a named query filter on every <see cref="ITenantEntity"/> and a SaveChanges guard that stamps new
/// rows with the current trust and throws when a tracked row belongs to another trust.
/// </summary>
public abstract class TenantDbContext(DbContextOptions options, TenantContext tenant) : DbContext(options)
{
    public const string TenantFilter = "Tenant";

    private static readonly MethodInfo ApplyFilterMethod =
        typeof(TenantDbContext).GetMethod(nameof(ApplyTenantFilter), BindingFlags.Instance | BindingFlags.NonPublic)!;

    public TenantContext Tenant { get; } = tenant;

    /// <summary>Read by the query filter on every query; Guid.Empty (no tenant) matches no row.</summary>
    protected Guid CurrentTrustId => Tenant.TrustId ?? Guid.Empty;

    protected sealed override void OnModelCreating(ModelBuilder modelBuilder)
    {
        ConfigureModel(modelBuilder);
        foreach (var entityType in modelBuilder.Model.GetEntityTypes().ToList())
        {
            // Tables are written by hand in SQL migrations with snake_case columns.
            foreach (var property in entityType.GetProperties())
            {
                if (property.FindAnnotation(RelationalAnnotationNames.ColumnName) is null)
                {
                    property.SetColumnName(SnakeCase(property.Name));
                }
            }

            if (typeof(ITenantEntity).IsAssignableFrom(entityType.ClrType) && entityType.BaseType is null)
            {
                ApplyFilterMethod.MakeGenericMethod(entityType.ClrType).Invoke(this, [modelBuilder]);
            }
        }
    }

    protected abstract void ConfigureModel(ModelBuilder modelBuilder);

    public static string SnakeCase(string name)
    {
        var builder = new System.Text.StringBuilder(name.Length + 8);
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (char.IsUpper(c))
            {
                if (i > 0 && (!char.IsUpper(name[i - 1]) || (i + 1 < name.Length && char.IsLower(name[i + 1]))))
                {
                    builder.Append('_');
                }

                builder.Append(char.ToLowerInvariant(c));
            }
            else
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }

    private void ApplyTenantFilter<TEntity>(ModelBuilder modelBuilder)
        where TEntity : class, ITenantEntity =>
        modelBuilder.Entity<TEntity>().HasQueryFilter(TenantFilter, e => e.TrustId == CurrentTrustId);

    public override int SaveChanges(bool acceptAllChangesOnSuccess)
    {
        GuardTenant();
        InstantsInUtc();
        return base.SaveChanges(acceptAllChangesOnSuccess);
    }

    public override Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        GuardTenant();
        InstantsInUtc();
        return base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
    }

    /// <summary>
    /// Npgsql writes a <c>timestamptz</c> only from a UTC <see cref="DateTimeOffset"/>; an instant a caller sent with its
    /// own offset (<c>2025-06-15T14:30:00+01:00</c>, the same moment as 13:30Z) is stored as that UTC moment, not refused
    /// with a 500. The one place every service's writes pass.
    /// </summary>
    private void InstantsInUtc()
    {
        foreach (var entry in ChangeTracker.Entries())
        {
            if (entry.State is not (EntityState.Added or EntityState.Modified))
            {
                continue;
            }

            foreach (var property in entry.Properties)
            {
                if (property.CurrentValue is DateTimeOffset { Offset.Ticks: not 0 } instant)
                {
                    property.CurrentValue = instant.ToUniversalTime();
                }
            }
        }
    }

    private void GuardTenant()
    {
        foreach (var entry in ChangeTracker.Entries<ITenantEntity>())
        {
            if (entry.State is EntityState.Unchanged or EntityState.Detached)
            {
                continue;
            }

            var trustId = Tenant.TrustId
                ?? throw new TenantMismatchException(
                    $"A {entry.Metadata.ClrType.Name} was changed with no tenant set for this scope.");

            if (entry.State == EntityState.Added && entry.Entity.TrustId == Guid.Empty)
            {
                entry.Entity.TrustId = trustId;
            }
            else if (entry.Entity.TrustId != trustId)
            {
                throw new TenantMismatchException(
                    $"A {entry.Metadata.ClrType.Name} of another trust was {entry.State.ToString().ToLowerInvariant()} in this scope.");
            }
        }
    }
}
