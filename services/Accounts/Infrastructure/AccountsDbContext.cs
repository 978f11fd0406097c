using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Trust.Platform.Accounts.Model;
using Trust.Platform.Data.Tenancy;
using Trust.Platform.Hosting.Directory;
using Trust.Platform.Messaging.Outbox;

namespace Trust.Platform.Accounts.Infrastructure;

public sealed class AccountsDbContext(DbContextOptions<AccountsDbContext> options, TenantContext tenant)
    : TenantDbContext(options, tenant), IOutboxContext
{
    public const string Schema = "accounts";

    public DbSet<DirectorySchool> Schools => Set<DirectorySchool>();

    public DbSet<OutboxMessage> OutboxMessages => Set<OutboxMessage>();

    public DbSet<StaffMember> Staff => Set<StaffMember>();

    public DbSet<TrainingRecord> Training => Set<TrainingRecord>();

    public DbSet<PolicyAcknowledgement> Acknowledgements => Set<PolicyAcknowledgement>();

    public DbSet<AccountApplication> Applications => Set<AccountApplication>();

    public DbSet<ApplicationDecision> Decisions => Set<ApplicationDecision>();

    public DbSet<Account> Accounts => Set<Account>();

    public DbSet<Post> Posts => Set<Post>();

    public DbSet<AccountReviewReminder> ReviewReminders => Set<AccountReviewReminder>();

    protected override void ConfigureModel(ModelBuilder modelBuilder)
    {
        modelBuilder.HasDefaultSchema(Schema);
        modelBuilder.AddOutbox();
        modelBuilder.AddSchoolDirectory();
        modelBuilder.Entity<StaffMember>(e =>
        {
            e.ToTable("staff_members");
            e.HasKey(s => new { s.TrustId, s.SchoolId, s.StaffId });
        });
        modelBuilder.Entity<TrainingRecord>(e =>
        {
            e.ToTable("training_records");
            e.HasKey(t => new { t.TrustId, t.SchoolId, t.StaffId, t.CourseCode });
        });
        modelBuilder.Entity<PolicyAcknowledgement>(e =>
        {
            e.ToTable("policy_acknowledgements");
            e.HasKey(a => new { a.TrustId, a.SchoolId, a.StaffId, a.PolicyVersionId });
        });
        modelBuilder.Entity<AccountApplication>(e =>
        {
            e.ToTable("applications");
            e.HasKey(a => new { a.TrustId, a.Id });
            e.Property(a => a.BusinessCase).HasColumnType("jsonb");
            SnakeEnum(e.Property(a => a.Status));
            e.Property(a => a.Version).IsConcurrencyToken();
        });
        modelBuilder.Entity<ApplicationDecision>(e =>
        {
            e.ToTable("application_decisions");
            e.HasKey(d => new { d.TrustId, d.Id });
            SnakeEnum(e.Property(d => d.Outcome));
            e.HasOne<AccountApplication>().WithMany().HasForeignKey(d => new { d.TrustId, d.ApplicationId });
        });
        modelBuilder.Entity<Account>(e =>
        {
            e.ToTable("accounts");
            e.HasKey(a => new { a.TrustId, a.Id });
            SnakeEnum(e.Property(a => a.Status));
            e.Property(a => a.Version).IsConcurrencyToken();
            e.HasOne<AccountApplication>().WithMany().HasForeignKey(a => new { a.TrustId, a.ApplicationId });
        });
        modelBuilder.Entity<Post>(e =>
        {
            e.ToTable("posts");
            e.HasKey(p => new { p.TrustId, p.Id });
            SnakeEnum(e.Property(p => p.Status));
            e.Property(p => p.Version).IsConcurrencyToken();
            e.HasOne<Account>().WithMany().HasForeignKey(p => new { p.TrustId, p.AccountId });
        });
        modelBuilder.Entity<AccountReviewReminder>(e =>
        {
            e.ToTable("account_review_reminders");
            e.HasKey(r => new { r.TrustId, r.AccountId, r.ReviewDate, r.Reminder });
        });
    }

    /// <summary>Enums are stored as the same snake_case words the API uses (<c>at_risk</c>).</summary>
    private static void SnakeEnum<TEnum>(PropertyBuilder<TEnum> property)
        where TEnum : struct, Enum =>
        property.HasConversion(v => SnakeCase(v.ToString()), v => Enum.Parse<TEnum>(v.Replace("_", "", StringComparison.Ordinal), true));
}
