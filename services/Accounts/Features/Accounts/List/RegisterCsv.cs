using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Trust.Platform.Accounts.Features.Applications;
using Trust.Platform.Accounts.Infrastructure;
using Trust.Platform.Accounts.Model;
using Trust.Platform.Hosting.Http;
using Trust.Platform.Hosting.Time;

namespace Trust.Platform.Accounts.Features.Accounts.List;

/// <summary>
/// The register as CSV (002 l.129-131: who administers each account and where its password is kept; 000/003/004: the
/// business case and its approval), one line per account. Never a credential, nor the vault reference that points to one:
/// the custodian and the last rotation say who holds it and how fresh it is.
/// </summary>
public static class RegisterCsv
{
    public const string MediaType = "text/csv";

    /// <summary>The longest export the contract promises: 500 schools with a few accounts each is well under 2 MB.</summary>
    public const int MaxLength = 16 * 1024 * 1024;

    public static readonly string[] Columns =
    [
        "school_id", "school_name", "account_id", "platform", "handle", "url", "status", "purpose", "approvals", "administrators",
        "credential_custodian", "last_rotated_on", "review_date", "registered_on",
    ];

    /// <summary>Writes <paramref name="accounts"/> (every row the query holds, not a page) with what the register knows of each.</summary>
    public static async Task<string> WriteAsync(AccountsDbContext db, IQueryable<Account> accounts, TimeProvider time, CancellationToken ct)
    {
        var rows = await accounts.OrderBy(a => a.SchoolId).ThenBy(a => a.Id).ToListAsync(ct);
        var lookup = await Lookup.LoadAsync(db, rows, ct);
        await using var text = new StringWriter(CultureInfo.InvariantCulture);
        await using (var csv = Csv.CreateWriter(text))
        {
            foreach (var header in Columns)
            {
                csv.WriteField(header);
            }

            await csv.NextRecordAsync();
            foreach (var a in rows)
            {
                var school = lookup.Schools.GetValueOrDefault(a.SchoolId);
                var today = time.TodayAt(school?.TimeZone);
                foreach (var field in (string?[])
                         [
                             a.SchoolId.ToString(), school?.Name, a.Id.ToString(), a.Platform, a.Handle, a.Url, ApiNames.Of(a.Status),
                             lookup.Purposes.GetValueOrDefault(a.ApplicationId), lookup.Approvals(a.ApplicationId, school?.TimeZone),
                             string.Join("; ", a.Administrators.Select(id => $"{lookup.Name(a.SchoolId, id)} (trained: {(lookup.Trained(a.SchoolId, id, today) ? "yes" : "no")})")),
                             a.CredentialCustodian is { } custodian ? lookup.Name(a.SchoolId, custodian) : null,
                             Day(a.LastRotatedOn), Day(a.ReviewDate), Day(PlatformClock.LocalDate(a.CreatedAt, school?.TimeZone)),
                         ])
                {
                    csv.WriteField(field ?? "");
                }

                await csv.NextRecordAsync();
            }
        }

        return text.ToString();
    }

    private static string? Day(DateOnly? date) => date?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>Everything the lines name, read once for all of them.</summary>
    private sealed record Lookup(
        IReadOnlyDictionary<Guid, Hosting.Directory.DirectorySchool> Schools,
        IReadOnlyDictionary<Guid, string?> Purposes,
        ILookup<Guid, ApplicationDecision> Decisions,
        IReadOnlyDictionary<(Guid School, Guid Staff), string> Names,
        IReadOnlyDictionary<(Guid School, Guid Staff), TrainingRecord> Training)
    {
        public static async Task<Lookup> LoadAsync(AccountsDbContext db, IReadOnlyList<Account> rows, CancellationToken ct)
        {
            var schoolIds = rows.Select(a => a.SchoolId).Distinct().ToArray();
            var applicationIds = rows.Select(a => a.ApplicationId).ToArray();
            var staffIds = rows.SelectMany(a => a.Administrators.Append(a.CredentialCustodian ?? Guid.Empty)).Distinct().ToArray();
            var schools = await db.Schools.AsNoTracking().Where(s => schoolIds.Contains(s.SchoolId)).ToDictionaryAsync(s => s.SchoolId, ct);
            var cases = await db.Applications.AsNoTracking().Where(p => applicationIds.Contains(p.Id)).Select(p => new { p.Id, p.BusinessCase }).ToListAsync(ct);
            var decisions = await db.Decisions.AsNoTracking().Where(d => applicationIds.Contains(d.ApplicationId) && d.Outcome == DecisionOutcome.Approve)
                .OrderBy(d => d.Step).ToListAsync(ct);
            var staff = await db.Staff.AsNoTracking().Where(s => schoolIds.Contains(s.SchoolId) && staffIds.Contains(s.StaffId)).ToListAsync(ct);
            var training = await db.Training.AsNoTracking()
                .Where(t => schoolIds.Contains(t.SchoolId) && staffIds.Contains(t.StaffId) && t.CourseCode == TrainingRecord.SocialMediaPolicy).ToListAsync(ct);
            return new Lookup(
                schools,
                cases.ToDictionary(c => c.Id, c => BusinessCaseJson.Read(c.BusinessCase).Purpose),
                decisions.ToLookup(d => d.ApplicationId),
                staff.ToDictionary(s => (s.SchoolId, s.StaffId), s => s.DisplayName),
                training.ToDictionary(t => (t.SchoolId, t.StaffId)));
        }

        /// <summary>"role: name on date" for each approval of the chain, in its order, dated on the school's day.</summary>
        public string Approvals(Guid application, string? timeZone) => string.Join("; ", Decisions[application]
            .Select(d => $"{d.Role}: {d.DecidedByName ?? d.DecidedBy} on {Day(PlatformClock.LocalDate(d.DecidedAt, timeZone))}"));

        /// <summary>The roster's name, or the id when the roster does not know the person (left the school before the replica had them).</summary>
        public string Name(Guid school, Guid staff) => Names.TryGetValue((school, staff), out var name) ? name : staff.ToString();

        public bool Trained(Guid school, Guid staff, DateOnly today) =>
            Training.TryGetValue((school, staff), out var record) && record.IsCurrentOn(today);
    }
}
