using Microsoft.EntityFrameworkCore;
using Trust.Platform.Data.Tenancy;
using Trust.Platform.Messaging.Outbox;
using Trust.Platform.Policy.Domain.AccessRequests;
using Trust.Platform.Policy.Domain.PolicyVersions;
using Trust.Platform.Policy.Model;

namespace Trust.Platform.Policy.Infrastructure;

public sealed class PolicyDbContext(DbContextOptions<PolicyDbContext> options, TenantContext tenant)
    : TenantDbContext(options, tenant), IOutboxContext
{
    public const string Schema = "policy";

    public DbSet<TrustOrganisation> Trusts => Set<TrustOrganisation>();

    public DbSet<TrustMember> TrustMembers => Set<TrustMember>();

    public DbSet<School> Schools => Set<School>();

    public DbSet<Appointment> Appointments => Set<Appointment>();

    public DbSet<ApiKey> ApiKeys => Set<ApiKey>();

    public DbSet<OutboxMessage> OutboxMessages => Set<OutboxMessage>();

    public DbSet<TrustPolicy> TrustPolicies => Set<TrustPolicy>();

    public DbSet<BaselineSetting> BaselineSettings => Set<BaselineSetting>();

    public DbSet<SchoolPolicy> SchoolPolicies => Set<SchoolPolicy>();

    public DbSet<SchoolOverride> SchoolOverrides => Set<SchoolOverride>();

    public DbSet<SectionAmendment> SectionAmendments => Set<SectionAmendment>();

    public DbSet<PolicyVersion> PolicyVersions => Set<PolicyVersion>();

    public DbSet<ReviewReminder> ReviewReminders => Set<ReviewReminder>();

    public DbSet<SchoolApproval> SchoolApprovals => Set<SchoolApproval>();

    public DbSet<DocumentTemplate> DocumentTemplates => Set<DocumentTemplate>();

    public DbSet<BlockedContentRequest> BlockedContentRequests => Set<BlockedContentRequest>();

    public DbSet<Notifications.OutgoingMail> OutgoingMail => Set<Notifications.OutgoingMail>();

    public DbSet<Notifications.DigestItem> DigestItems => Set<Notifications.DigestItem>();

    public DbSet<Webhooks.WebhookSubscription> WebhookSubscriptions => Set<Webhooks.WebhookSubscription>();

    public DbSet<Webhooks.WebhookDelivery> WebhookDeliveries => Set<Webhooks.WebhookDelivery>();

    public DbSet<Webhooks.WebhookAttempt> WebhookAttempts => Set<Webhooks.WebhookAttempt>();

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
            e.Property(m => m.Version).IsConcurrencyToken();
        });
        modelBuilder.Entity<Appointment>(e =>
        {
            e.ToTable("appointments");
            e.HasKey(a => new { a.TrustId, a.Id });
            e.Property(a => a.Version).IsConcurrencyToken();
            e.HasOne<TrustMember>().WithMany().HasForeignKey(a => new { a.TrustId, a.MemberId });
        });
        modelBuilder.Entity<School>(e =>
        {
            e.ToTable("schools");
            e.HasKey(s => new { s.TrustId, s.Id });
            e.HasOne<TrustOrganisation>().WithMany().HasForeignKey(s => s.TrustId);
            e.Property(s => s.Phase).HasConversion(p => TenantDbContext.SnakeCase(p.ToString()), v => ParsePhase(v));
            e.Property(s => s.Version).IsConcurrencyToken();
        });
        modelBuilder.Entity<TrustPolicy>(e =>
        {
            e.ToTable("trust_policies");
            e.HasKey(p => p.TrustId);
            e.HasOne<TrustOrganisation>().WithMany().HasForeignKey(p => p.TrustId);
            e.Property(p => p.Version).IsConcurrencyToken();
        });
        modelBuilder.Entity<BaselineSetting>(e =>
        {
            e.ToTable("baseline_settings");
            e.HasKey(b => new { b.TrustId, b.Key });
            e.Property(b => b.ValueJson).HasColumnType("jsonb");
            e.HasOne<TrustPolicy>().WithMany().HasForeignKey(b => b.TrustId);
        });
        modelBuilder.Entity<SchoolPolicy>(e =>
        {
            e.ToTable("school_policies");
            e.HasKey(p => new { p.TrustId, p.SchoolId });
            e.HasOne<School>().WithMany().HasForeignKey(p => new { p.TrustId, p.SchoolId });
            e.Property(p => p.Version).IsConcurrencyToken();
        });
        modelBuilder.Entity<SchoolOverride>(e =>
        {
            e.ToTable("school_overrides");
            e.HasKey(o => new { o.TrustId, o.SchoolId, o.Key });
            e.Property(o => o.ValueJson).HasColumnType("jsonb");
            e.HasOne<SchoolPolicy>().WithMany().HasForeignKey(o => new { o.TrustId, o.SchoolId });
        });
        modelBuilder.Entity<SectionAmendment>(e =>
        {
            e.ToTable("section_amendments");
            e.HasKey(a => new { a.TrustId, a.SchoolId, a.SectionId });
            e.HasOne<SchoolPolicy>().WithMany().HasForeignKey(a => new { a.TrustId, a.SchoolId });
        });
        modelBuilder.Entity<PolicyVersion>(e =>
        {
            e.ToTable("policy_versions");
            e.HasKey(v => new { v.TrustId, v.Id });
            e.Property(v => v.Snapshot).HasColumnType("jsonb");
            e.Property(v => v.RowVersion).IsConcurrencyToken();
            // Stored as the text the API shows ("draft", "major"): no data migration for the enums.
            e.Property(v => v.Kind).HasConversion(k => VersionRules.Name(k), v => VersionRules.Parse<VersionKind>(v));
            e.Property(v => v.Status).HasConversion(k => VersionRules.Name(k), v => VersionRules.Parse<VersionStatus>(v));
            e.Ignore(v => v.Label);
            e.HasOne<TrustPolicy>().WithMany().HasForeignKey(v => v.TrustId);
        });
        modelBuilder.Entity<Notifications.OutgoingMail>(e =>
        {
            e.ToTable("outgoing_mail");
            e.HasKey(m => m.Id);
            e.HasOne<TrustOrganisation>().WithMany().HasForeignKey(m => m.TrustId);
        });
        modelBuilder.Entity<Notifications.DigestItem>(e =>
        {
            e.ToTable("digest_items");
            e.HasKey(m => m.Id);
            e.HasOne<TrustOrganisation>().WithMany().HasForeignKey(m => m.TrustId);
        });
        modelBuilder.Entity<Webhooks.WebhookSubscription>(e =>
        {
            e.ToTable("webhook_subscriptions");
            e.HasKey(w => new { w.TrustId, w.Id });
            e.HasOne<TrustOrganisation>().WithMany().HasForeignKey(w => w.TrustId);
        });
        modelBuilder.Entity<Webhooks.WebhookDelivery>(e =>
        {
            e.ToTable("webhook_deliveries");
            e.HasKey(d => new { d.TrustId, d.Id });
            e.HasOne<Webhooks.WebhookSubscription>().WithMany().HasForeignKey(d => new { d.TrustId, d.SubscriptionId });
        });
        modelBuilder.Entity<Webhooks.WebhookAttempt>(e =>
        {
            e.ToTable("webhook_attempts");
            e.HasKey(a => new { a.TrustId, a.DeliveryId, a.Attempt });
            e.HasOne<Webhooks.WebhookDelivery>().WithMany().HasForeignKey(a => new { a.TrustId, a.DeliveryId });
        });
        modelBuilder.Entity<ReviewReminder>(e =>
        {
            e.ToTable("review_reminders");
            e.HasKey(r => new { r.TrustId, r.SchoolId, r.ReviewDate, r.Reminder });
        });
        modelBuilder.Entity<SchoolApproval>(e =>
        {
            e.ToTable("school_approvals");
            e.HasKey(a => new { a.TrustId, a.SchoolId, a.VersionId });
            e.HasOne<School>().WithMany().HasForeignKey(a => new { a.TrustId, a.SchoolId });
            e.HasOne<PolicyVersion>().WithMany().HasForeignKey(a => new { a.TrustId, a.VersionId });
        });
        modelBuilder.Entity<DocumentTemplate>(e =>
        {
            e.ToTable("document_templates");
            e.HasKey(t => new { t.TrustId, t.Key });
            e.Property(t => t.Version).IsConcurrencyToken();
            e.HasOne<TrustPolicy>().WithMany().HasForeignKey(t => t.TrustId);
        });
        modelBuilder.Entity<BlockedContentRequest>(e =>
        {
            e.ToTable("blocked_content_requests");
            e.HasKey(r => new { r.TrustId, r.Id });
            e.Property(r => r.Status).HasConversion(s => AccessRequestRules.Name(s), v => AccessRequestRules.Parse(v));
            e.Property(r => r.RowVersion).IsConcurrencyToken();
            e.HasOne<School>().WithMany().HasForeignKey(r => new { r.TrustId, r.SchoolId });
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
