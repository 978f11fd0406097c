using Microsoft.EntityFrameworkCore;
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

    protected override void ConfigureModel(ModelBuilder modelBuilder)
    {
        modelBuilder.HasDefaultSchema(Schema);
        modelBuilder.AddOutbox();
        modelBuilder.AddSchoolDirectory();
    }
}
