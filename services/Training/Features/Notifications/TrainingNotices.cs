using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Trust.Platform.Contracts;
using Trust.Platform.Data.Tenancy;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Hosting.People;
using Trust.Platform.Hosting.Time;
using Trust.Platform.Messaging.Outbox;
using Trust.Platform.Training.Infrastructure;

namespace Trust.Platform.Training.Features.Notifications;

public sealed class TrainingNoticeOptions
{
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How long before its due date a person is told a requirement is falling due.</summary>
    public int DueWithinDays { get; set; } = 14;

    /// <summary>At most this many people are named in a weekly digest; the rest are counted, and the console lists them all.</summary>
    public int DigestMaxLines { get; set; } = 100;
}

/// <summary>
/// "Who is told what" for training, once per school day: each person whose requirement falls due within
/// <see cref="TrainingNoticeOptions.DueWithinDays"/> (or is already overdue and was never told) is told once per requirement
/// and due date; each week, the school's headteachers get one digest of who is behind. Everything is read from the same
/// requirement rows as the compliance lists; each notice is claimed in the platform's ledger in the transaction that writes
/// its NotificationRequested, so a pass repeated (on this replica or another) sends nothing twice.
/// </summary>
public sealed partial class TrainingNoticeService(
    IServiceScopeFactory scopes, NpgsqlDataSource dataSource, TimeProvider time,
    Microsoft.Extensions.Options.IOptions<TrainingNoticeOptions> options, ILogger<TrainingNoticeService> logger)
    : TrustSweep<Guid>(scopes, time, logger)
{
    public const string DueKind = "training_due";
    public const string DigestKind = "training_behind_digest";

    protected override TimeSpan Interval => options.Value.SweepInterval;

    protected override Guid TrustOf(Guid due) => due;

    protected override async Task<IReadOnlyList<Guid>> DueAsync(IServiceProvider services, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var trusts = new List<Guid>();
        await using var connection = await TenantSession.OpenAsync(dataSource, null, cancellationToken);
        await using var command = new NpgsqlCommand($"SELECT trust_id FROM {TrainingDbContext.Schema}.trusts_with_roster()", connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            trusts.Add(reader.GetGuid(0));
        }

        return trusts;
    }

    protected override async Task<int> VisitAsync(IServiceProvider scoped, Guid trust, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var db = scoped.GetRequiredService<TrainingDbContext>();
        var schools = await db.Schools.AsNoTracking().Select(s => new { s.SchoolId, s.TimeZone }).ToListAsync(cancellationToken);
        var told = 0;
        // Schools sharing a date are read in one query, as the expiry sweep does.
        foreach (var day in schools.GroupBy(s => Time.TodayAt(s.TimeZone), s => s.SchoolId))
        {
            told += await VisitDayAsync(db, trust, day.Key, [.. day], now, cancellationToken);
        }

        if (told > 0)
        {
            Told(logger, trust, told);
        }

        return told;
    }

    private async Task<int> VisitDayAsync(TrainingDbContext db, Guid trust, DateOnly today, Guid[] schools, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var rows = await RequirementsQuery.OutstandingAsync(db, schools, today, new OutstandingFilter("all", null, null, null), cancellationToken);
        var falling = rows.Where(r => r.DueOn <= today.AddDays(options.Value.DueWithinDays)).ToList();
        var members = await Notices.MembersByStaffAsync(db, falling.Select(r => r.PersonId).Distinct().ToList(), cancellationToken);
        var dueKeys = falling.Where(r => members.ContainsKey(r.PersonId)).ToDictionary(DueKey);
        var week = ISOWeek.GetYear(today.ToDateTime(TimeOnly.MinValue)) + "-W" + ISOWeek.GetWeekOfYear(today.ToDateTime(TimeOnly.MinValue)).ToString("00", CultureInfo.InvariantCulture);
        var behind = rows.Where(r => r.DueOn < today).GroupBy(r => r.SchoolId).ToDictionary(g => g.Key, g => g.ToList());
        // A school with nobody appointed headteacher yet claims nothing: its digest goes out once one is.
        var heads = new Dictionary<Guid, List<Guid>>();
        foreach (var school in behind.Keys)
        {
            var held = Notices.Holding(await Notices.PostsAtAsync(db, school, today, cancellationToken), school, Roles.Headteacher);
            if (held.Count > 0)
            {
                heads[school] = held;
            }
        }

        var digestKeys = heads.Keys.ToDictionary(school => $"behind_digest:{school}:{week}");

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var claimed = await Notices.ClaimAsync(db, [.. dueKeys.Keys, .. digestKeys.Keys], now, cancellationToken);
        var requests = 0;
        foreach (var person in dueKeys.Where(k => claimed.Contains(k.Key)).Select(k => k.Value).GroupBy(r => r.PersonId))
        {
            db.AddEvent(DueNotice(trust, members[person.Key], [.. person], today, now), person.Key.ToString(), now);
            requests++;
        }

        foreach (var (key, school) in digestKeys.Where(k => claimed.Contains(k.Key)))
        {
            db.AddEvent(Digest(trust, key, heads[school], behind[school], today, now), school.ToString(), now);
            requests++;
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return requests;
    }

    private static string DueKey(OutstandingRow r) => $"training_due:{r.PersonId}:{r.Requirement}:{r.DueOn:yyyy-MM-dd}";

    /// <summary>One message per person for everything of theirs falling due that they were not told of.</summary>
    public static NotificationRequested DueNotice(Guid trust, Guid member, IReadOnlyList<OutstandingRow> rows, DateOnly today, DateTimeOffset now)
    {
        var first = rows[0];
        var text = new StringBuilder($"Training of yours at {first.SchoolName} is due:").AppendLine().AppendLine();
        foreach (var r in rows.OrderBy(r => r.DueOn).ThenBy(r => r.Requirement, StringComparer.Ordinal))
        {
            text.Append("- ").Append(Words(r)).Append(r.DueOn < today ? ", overdue since " : ", due by ").AppendLine(Written.Date(r.DueOn));
        }

        var subject = rows.Count == 1 ? $"Training due: {Words(first)}" : $"Training due: {rows.Count} items";
        return new NotificationRequested(Notices.IdOf(trust, string.Join('|', rows.Select(DueKey).Order(StringComparer.Ordinal))), trust, now, first.SchoolId, DueKind,
            [member], subject, text.ToString().TrimEnd(), "/training", Safeguarding: false);
    }

    /// <summary>The weekly digest of who is behind at a school, for its headteachers: names, requirement and how long overdue.</summary>
    public NotificationRequested Digest(Guid trust, string key, IReadOnlyList<Guid> heads, IReadOnlyList<OutstandingRow> behind, DateOnly today, DateTimeOffset now)
    {
        var school = behind[0].SchoolName;
        var people = behind.Select(r => r.PersonId).Distinct().Count();
        var text = new StringBuilder($"As of {Written.Date(today)}, {people} {(people == 1 ? "person is" : "people are")} behind with their training at {school}:")
            .AppendLine().AppendLine();
        var lines = behind.OrderByDescending(r => today.DayNumber - r.DueOn.DayNumber).ThenBy(r => r.DisplayName, StringComparer.Ordinal).ToList();
        foreach (var r in lines.Take(options.Value.DigestMaxLines))
        {
            text.Append("- ").Append(r.DisplayName).Append(": ").Append(Words(r)).Append(", ").Append(today.DayNumber - r.DueOn.DayNumber).AppendLine(" days overdue");
        }

        if (lines.Count > options.Value.DigestMaxLines)
        {
            text.Append("and ").Append(lines.Count - options.Value.DigestMaxLines).AppendLine(" more requirements, all listed in Trust Platform.");
        }

        return new NotificationRequested(Notices.IdOf(trust, key), trust, now, behind[0].SchoolId, DigestKind, heads, $"Who is behind with training at {school}",
            text.ToString().TrimEnd(), $"/schools/{behind[0].SchoolId}/compliance", Safeguarding: false);
    }

    private static string Words(OutstandingRow r) => r.Requirement switch
    {
        Requirement.Induction => "induction (the social media policy course)",
        Requirement.Refresher => "refresher (the social media policy course)",
        Requirement.AtRiskPupils => "the at-risk pupils course",
        Requirement.PolicyAcknowledgement => "acknowledging the current social media policy",
        Requirement.IncidentRefresher => "refresher after a significant incident",
        Requirement.PlatformTraining => $"training for {r.CourseCode?.Replace("platform:", "", StringComparison.Ordinal)} accounts",
        _ => r.Requirement.Replace('_', ' '),
    };

    [LoggerMessage(EventId = 6201, Level = LogLevel.Information, Message = "Asked for {Count} training notice(s) for trust {TrustId}")]
    private static partial void Told(ILogger logger, Guid trustId, int count);
}
