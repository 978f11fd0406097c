using Microsoft.EntityFrameworkCore;
using Trust.Platform.Data.Tenancy;
using Trust.Platform.Hosting.Directory;
using Trust.Platform.Messaging.Outbox;
using Trust.Platform.Training.Model;

namespace Trust.Platform.Training.Infrastructure;

public sealed class TrainingDbContext(DbContextOptions<TrainingDbContext> options, TenantContext tenant)
    : TenantDbContext(options, tenant), IOutboxContext
{
    public const string Schema = "training";

    public DbSet<DirectorySchool> Schools => Set<DirectorySchool>();

    public DbSet<OutboxMessage> OutboxMessages => Set<OutboxMessage>();

    public DbSet<Person> People => Set<Person>();

    public DbSet<RosterJob> RosterJobs => Set<RosterJob>();

    public DbSet<AcknowledgementBaseline> AcknowledgementBaselines => Set<AcknowledgementBaseline>();

    public DbSet<PolicyVersion> PolicyVersions => Set<PolicyVersion>();

    public DbSet<Course> Courses => Set<Course>();

    public DbSet<Completion> Completions => Set<Completion>();

    public DbSet<Acknowledgement> Acknowledgements => Set<Acknowledgement>();

    public DbSet<AcknowledgementSheet> AcknowledgementSheets => Set<AcknowledgementSheet>();

    public DbSet<RequirementTrigger> RequirementTriggers => Set<RequirementTrigger>();

    public DbSet<CohortSession> CohortSessions => Set<CohortSession>();

    /// <summary>The school is in this trust's directory (the route's school scope has already checked the caller acts for it).</summary>
    public Task<bool> SchoolExistsAsync(Guid schoolId, CancellationToken cancellationToken) =>
        Schools.AnyAsync(s => s.SchoolId == schoolId, cancellationToken);

    protected override void ConfigureModel(ModelBuilder modelBuilder)
    {
        modelBuilder.HasDefaultSchema(Schema);
        modelBuilder.AddOutbox();
        modelBuilder.AddSchoolDirectory();
        modelBuilder.Entity<Person>(e =>
        {
            e.ToTable("people");
            e.HasKey(p => new { p.TrustId, p.Id });
        });
        modelBuilder.Entity<RosterJob>(e =>
        {
            e.ToTable("roster_jobs");
            e.HasKey(j => new { j.TrustId, j.Id });
            e.Property(j => j.Errors).HasColumnType("jsonb");
            e.Property(j => j.Status).HasConversion(new SnakeCaseEnumConverter<Domain.Roster.RosterJobStatus>());
            e.Property(j => j.Format).HasConversion(new SnakeCaseEnumConverter<Domain.Roster.RosterFormat>());
        });
        modelBuilder.Entity<AcknowledgementBaseline>(e =>
        {
            e.ToTable("acknowledgement_baselines");
            e.HasKey(b => new { b.TrustId, b.SchoolId });
        });
        modelBuilder.Entity<PolicyVersion>(e =>
        {
            e.ToTable("policy_versions");
            e.HasKey(v => new { v.TrustId, v.PolicyVersionId, v.SchoolId });
        });
        modelBuilder.Entity<Course>(e =>
        {
            e.ToTable("courses");
            e.HasKey(c => new { c.TrustId, c.Id });
        });
        modelBuilder.Entity<Completion>(e =>
        {
            e.ToTable("completions");
            e.HasKey(c => new { c.TrustId, c.Id });
            e.Property(c => c.Score).HasPrecision(6, 2);
        });
        modelBuilder.Entity<Acknowledgement>(e =>
        {
            e.ToTable("acknowledgements");
            e.HasKey(a => new { a.TrustId, a.Id });
        });
        modelBuilder.Entity<AcknowledgementSheet>(e =>
        {
            e.ToTable("acknowledgement_sheets");
            e.HasKey(a => new { a.TrustId, a.Id });
        });
        modelBuilder.Entity<RequirementTrigger>(e =>
        {
            e.ToTable("requirement_triggers");
            e.HasKey(t => new { t.TrustId, t.Id });
        });
        modelBuilder.Entity<CohortSession>(e =>
        {
            e.ToTable("cohort_sessions");
            e.HasKey(s => new { s.TrustId, s.Id });
            e.Property(s => s.Audience).HasConversion(new SnakeCaseEnumConverter<Domain.Sessions.SessionAudience>());
        });
    }
}
