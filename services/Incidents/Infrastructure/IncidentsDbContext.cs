using Microsoft.EntityFrameworkCore;
using Trust.Platform.Data.Tenancy;
using Trust.Platform.Hosting.Directory;
using Trust.Platform.Messaging.Outbox;

namespace Trust.Platform.Incidents.Infrastructure;

public sealed class IncidentsDbContext(DbContextOptions<IncidentsDbContext> options, TenantContext tenant)
    : TenantDbContext(options, tenant), IOutboxContext
{
    public const string Schema = "incidents";

    public DbSet<DirectorySchool> Schools => Set<DirectorySchool>();

    public DbSet<OutboxMessage> OutboxMessages => Set<OutboxMessage>();

    protected override void ConfigureModel(ModelBuilder modelBuilder)
    {
        modelBuilder.HasDefaultSchema(Schema);
        modelBuilder.AddOutbox();
        modelBuilder.AddSchoolDirectory();
    }
}
