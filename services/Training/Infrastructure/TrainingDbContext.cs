using Microsoft.EntityFrameworkCore;
using Trust.Platform.Data.Tenancy;
using Trust.Platform.Hosting.Directory;
using Trust.Platform.Messaging.Outbox;

namespace Trust.Platform.Training.Infrastructure;

public sealed class TrainingDbContext(DbContextOptions<TrainingDbContext> options, TenantContext tenant)
    : TenantDbContext(options, tenant), IOutboxContext
{
    public const string Schema = "training";

    public DbSet<DirectorySchool> Schools => Set<DirectorySchool>();

    public DbSet<OutboxMessage> OutboxMessages => Set<OutboxMessage>();

    protected override void ConfigureModel(ModelBuilder modelBuilder)
    {
        modelBuilder.HasDefaultSchema(Schema);
        modelBuilder.AddOutbox();
        modelBuilder.AddSchoolDirectory();
    }
}
