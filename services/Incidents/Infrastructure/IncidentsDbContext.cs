using Microsoft.EntityFrameworkCore;
using Trust.Platform.Data.Tenancy;
using Trust.Platform.Hosting.Directory;
using Trust.Platform.Incidents.Domain.Cases;
using Trust.Platform.Incidents.Model;
using Trust.Platform.Messaging.Outbox;

namespace Trust.Platform.Incidents.Infrastructure;

public sealed class IncidentsDbContext(DbContextOptions<IncidentsDbContext> options, TenantContext tenant)
    : TenantDbContext(options, tenant), IOutboxContext
{
    public const string Schema = "incidents";

    public DbSet<DirectorySchool> Schools => Set<DirectorySchool>();

    public DbSet<OutboxMessage> OutboxMessages => Set<OutboxMessage>();

    public DbSet<IncidentCase> Cases => Set<IncidentCase>();

    public DbSet<TimelineEntry> Timeline => Set<TimelineEntry>();

    public DbSet<AuditEntry> Audit => Set<AuditEntry>();

    public DbSet<EvidenceItem> Evidence => Set<EvidenceItem>();

    public DbSet<RosterMember> Roster => Set<RosterMember>();

    public DbSet<CaseDisposal> Disposals => Set<CaseDisposal>();

    public DbSet<EvidenceFileToRemove> EvidenceFilesToRemove => Set<EvidenceFileToRemove>();

    protected override void ConfigureModel(ModelBuilder modelBuilder)
    {
        modelBuilder.HasDefaultSchema(Schema);
        modelBuilder.AddOutbox();
        modelBuilder.AddSchoolDirectory();
        modelBuilder.Entity<IncidentCase>(e =>
        {
            e.ToTable("cases");
            e.HasKey(c => new { c.TrustId, c.Id });
            e.Property(c => c.Details).HasColumnType("jsonb");
            e.Property(c => c.Version).IsConcurrencyToken();
            // Today's text values: no data migration for the enum.
            e.Property(c => c.Status).HasConversion(s => CaseStatusNames.ToName(s), s => CaseStatusNames.FromName(s));
        });
        modelBuilder.Entity<TimelineEntry>(e =>
        {
            e.ToTable("case_timeline");
            e.HasKey(t => new { t.TrustId, t.CaseId, t.Seq });
            e.Property(t => t.Seq).ValueGeneratedNever();
            // Declared so that EF inserts the case before its first entries.
            e.HasOne<IncidentCase>().WithMany().HasForeignKey(t => new { t.TrustId, t.CaseId });
        });
        modelBuilder.Entity<AuditEntry>(e =>
        {
            e.ToTable("case_audit");
            e.HasKey(a => new { a.TrustId, a.Id });
        });
        modelBuilder.Entity<RosterMember>(e =>
        {
            e.ToTable("staff_roster");
            e.HasKey(r => new { r.TrustId, r.SchoolId, r.StaffId });
        });
        modelBuilder.Entity<EvidenceItem>(e =>
        {
            e.ToTable("evidence");
            e.HasKey(v => new { v.TrustId, v.Id });
            e.HasOne<IncidentCase>().WithMany().HasForeignKey(v => new { v.TrustId, v.CaseId });
        });
        modelBuilder.Entity<CaseDisposal>(e =>
        {
            e.ToTable("case_disposals");
            e.HasKey(d => new { d.TrustId, d.CaseId });
        });
        modelBuilder.Entity<EvidenceFileToRemove>(e =>
        {
            e.ToTable("evidence_files_to_remove");
            e.HasKey(f => new { f.TrustId, f.StorageKey });
        });
    }
}
