using Microsoft.EntityFrameworkCore;
using Trust.Platform.Data.Tenancy;
using Trust.Platform.Messaging.Outbox;
using Trust.Platform.Policy.Model;

namespace Trust.Platform.Policy.Infrastructure;

public sealed class PolicyDbContext(DbContextOptions<PolicyDbContext> options, TenantContext tenant)
    : TenantDbContext(options, tenant), IOutboxContext
{
    public const string Schema = "policy";

    public DbSet<TrustOrganisation> Trusts => Set<TrustOrganisation>();

    public DbSet<TrustMember> TrustMembers => Set<TrustMember>();

    public DbSet<School> Schools => Set<School>();

    public DbSet<ApiKey> ApiKeys => Set<ApiKey>();

    public DbSet<OutboxMessage> OutboxMessages => Set<OutboxMessage>();

    protected override void ConfigureModel(ModelBuilder modelBuilder)
    {
        modelBuilder.HasDefaultSchema(Schema);
        modelBuilder.AddOutbox();
        modelBuilder.Entity<TrustOrganisation>(e =>
        {
            e.ToTable("trusts");
            e.HasKey(t => t.TrustId);
            e.Property(t => t.Version).IsConcurrencyToken();
        });
        modelBuilder.Entity<TrustMember>(e =>
        {
            e.ToTable("trust_members");
            e.HasKey(m => new { m.TrustId, m.Id });
            // Declared so that EF inserts the trust before its rows (the tables have these foreign keys).
            e.HasOne<TrustOrganisation>().WithMany().HasForeignKey(m => m.TrustId);
        });
        modelBuilder.Entity<School>(e =>
        {
            e.ToTable("schools");
            e.HasKey(s => new { s.TrustId, s.Id });
            e.HasOne<TrustOrganisation>().WithMany().HasForeignKey(s => s.TrustId);
            e.Property(s => s.Phase).HasConversion(p => TenantDbContext.SnakeCase(p.ToString()), v => ParsePhase(v));
            e.Property(s => s.Version).IsConcurrencyToken();
        });
        modelBuilder.Entity<ApiKey>(e =>
        {
            e.ToTable("api_keys");
            e.HasKey(k => k.Id);
            e.HasOne<TrustOrganisation>().WithMany().HasForeignKey(k => k.TrustId);
        });
    }

    private static SchoolPhase ParsePhase(string value) =>
        Enum.Parse<SchoolPhase>(value.Replace("_", "", StringComparison.Ordinal), ignoreCase: true);
}
