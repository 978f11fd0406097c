using Microsoft.EntityFrameworkCore;
using Trust.Platform.Incidents.Domain;
using Trust.Platform.Incidents.Infrastructure;
using Trust.Platform.TestSupport;

namespace Trust.Platform.Incidents.Tests.Visibility;

/// <summary>The same table through EF Core on PostgreSQL: the SQL the predicates become selects what the rule shows.</summary>
public sealed class CaseVisibilityQueryTests(ReplicaServiceHost<IncidentsService> host) : IClassFixture<ReplicaServiceHost<IncidentsService>>
{
    [Fact]
    public async Task The_predicates_translated_to_sql_select_exactly_the_cases_the_single_load_rule_shows()
    {
        var table = new VisibilityTable(host.Trust, Guid.CreateVersion7(), Guid.CreateVersion7());
        using var scope = host.Service.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<IncidentsDbContext>();
        db.Tenant.Set(host.Trust);
        db.Cases.AddRange(table.Cases);
        await db.SaveChangesAsync();
        db.ChangeTracker.Clear();

        var failures = new List<string>();
        var inTable = db.Cases.AsNoTracking().Where(c => c.SchoolId == table.School || c.SchoolId == table.OtherSchool);
        foreach (var (name, viewer) in table.Viewers)
        {
            void Compare(string rule, IEnumerable<Guid> fromSql, Func<Model.IncidentCase, bool> pure)
            {
                var expected = table.Cases.Where(pure).Select(c => c.Id).ToHashSet();
                if (!expected.SetEquals(fromSql))
                {
                    failures.Add($"{name} / {rule}: SQL selected {fromSql.Count()} cases, the rule shows {expected.Count}");
                }
            }

            Compare("readable", await inTable.Where(CaseVisibility.Readable(viewer)).Select(c => c.Id).ToListAsync(), c => CaseVisibility.ViewOf(viewer, c) != CaseView.None);
            Compare("full", await inTable.Where(CaseVisibility.FullyReadable(viewer)).Select(c => c.Id).ToListAsync(), c => CaseVisibility.ViewOf(viewer, c) == CaseView.Full);
            Compare("audit", await inTable.Where(CaseVisibility.AuditReadable(viewer)).Select(c => c.Id).ToListAsync(), c => CaseVisibility.MayReadAuditOf(viewer, c));
        }

        failures.Should().BeEmpty();
    }
}
