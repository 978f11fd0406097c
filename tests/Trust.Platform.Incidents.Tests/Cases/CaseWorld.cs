using System.Collections.Concurrent;
using System.Net;
using Npgsql;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.TestSupport;

namespace Trust.Platform.Incidents.Tests.Cases;

/// <summary>
/// A trust of its own with two schools and cases of known types, dates and outcomes, written as the owner (the way a
/// migration or an import would) so every figure a search or the statistics give can be stated exactly.
/// Times are in 2026; the schools are in Europe/London (BST until 25 October).
/// </summary>
public sealed class CaseWorld
{
    private static readonly ConcurrentDictionary<ReplicaServiceHost<IncidentsService>, Lazy<Task<CaseWorld>>> Shared = new();

    public Guid Trust { get; } = Guid.CreateVersion7();

    public Guid SchoolA { get; } = Guid.CreateVersion7();

    public Guid SchoolB { get; } = Guid.CreateVersion7();

    /// <summary>The roster id of school A's headteacher, whom case 6 is about.</summary>
    public Guid HeadStaffId { get; } = Guid.CreateVersion7();

    /// <summary>The roster id of the teacher case 4 is about.</summary>
    public Guid TeacherStaffId { get; } = Guid.CreateVersion7();

    public Dictionary<int, Guid> Ids { get; } = [];

    public DevUser HeadA => new("w-head", "Head A", Trust, [$"{Roles.Headteacher}:{SchoolA}"], HeadStaffId);

    public DevUser DslA => new("w-dsl", "DSL A", Trust, [$"{Roles.Dsl}:{SchoolA}"]);

    public DevUser HeadB => new("w-head-b", "Head B", Trust, [$"{Roles.Headteacher}:{SchoolB}"]);

    public DevUser Chair => new("w-chair", "Chair", Trust, [Roles.Chair]);

    public DevUser StaffA => new("w-staff", "Staff A", Trust, [$"{Roles.Staff}:{SchoolA}"]);

    public DevUser Admin => new("w-admin", "Admin", Trust, [Roles.TrustAdmin]);

    public static Task<CaseWorld> SharedAsync(ReplicaServiceHost<IncidentsService> host) =>
        Shared.GetOrAdd(host, _ => new Lazy<Task<CaseWorld>>(() => CreateAsync(host))).Value;

    /// <summary>
    /// School A: (1) an account message answered in 2 h, (2) one answered after 3 days, (3) one still open and overdue,
    /// received 23:30 UTC on 30 September, which is 1 October at the school; (4) a concern about a teacher, closed after
    /// 3 days; (5) a restricted pupil concern closed after 1 day; (6) a concern about the headteacher (restricted, open);
/// (7) cyberbullying of the headteacher by their roster id, not restricted, open.
    /// School B: (8) cyberbullying of a teacher, open; (9) a restricted inappropriate contact, the only case of its month.
    /// </summary>
    public static async Task<CaseWorld> CreateAsync(ReplicaServiceHost<IncidentsService> host)
    {
        var world = new CaseWorld();
        await host.AddSchoolAsync(world.Trust, world.SchoolA, "World A Primary", 1);
        await host.AddSchoolAsync(world.Trust, world.SchoolB, "World B Primary", 1);
        using (var client = host.Service.ClientFor(world.Admin))
        {
            await Eventually.Until(async () => (await client.GetAsync($"/v1/schools/{world.SchoolB}/cases")).StatusCode,
                s => s == HttpStatusCode.OK, because: "both schools reached the directory replica");
            await Eventually.Until(async () => (await client.GetAsync($"/v1/schools/{world.SchoolA}/cases")).StatusCode,
                s => s == HttpStatusCode.OK, because: "both schools reached the directory replica");
        }

        await world.InsertAsync(host, 1, world.SchoolA, "account_message", At(9, 10, 10), due: At(9, 11, 10), closed: At(9, 10, 12));
        await world.InsertAsync(host, 2, world.SchoolA, "account_message", At(9, 15, 10), due: At(9, 16, 10), closed: At(9, 18, 10), overdue: At(9, 16, 10));
        await world.InsertAsync(host, 3, world.SchoolA, "account_message", new DateTimeOffset(2026, 9, 30, 23, 30, 0, TimeSpan.Zero),
            due: At(10, 1, 23), overdue: At(10, 1, 23));
        await world.InsertAsync(host, 4, world.SchoolA, "staff_conduct_concern", At(10, 5, 9), closed: At(10, 8, 9),
            subjectKind: "staff", subject: world.TeacherStaffId.ToString(), role: "headteacher");
        await world.InsertAsync(host, 5, world.SchoolA, "pupil_conduct_concern", At(10, 6, 9), closed: At(10, 7, 9),
            subjectKind: "pupil", subject: "MIS-W9", role: "dsl", restricted: true);
        await world.InsertAsync(host, 6, world.SchoolA, "staff_conduct_concern", At(10, 20, 9),
            subjectKind: "staff", subject: world.HeadStaffId.ToString(), role: "chair", restricted: true, aboutHead: true);
        await world.InsertAsync(host, 7, world.SchoolA, "cyberbullying", At(10, 21, 9),
            subjectKind: "staff", subject: world.HeadStaffId.ToString(), role: "headteacher");
        await world.InsertAsync(host, 8, world.SchoolB, "cyberbullying", At(11, 3, 9), subjectKind: "staff", subject: Guid.CreateVersion7().ToString(), role: "headteacher");
        await world.InsertAsync(host, 9, world.SchoolB, "inappropriate_contact", At(11, 12, 9), subjectKind: "pupil", subject: "MIS-SECRET-77", role: "dsl", restricted: true);
        return world;
    }

    public static DateTimeOffset At(int month, int day, int hour) => new(2026, month, day, hour, 0, 0, TimeSpan.Zero);

    public async Task InsertAsync(
        ReplicaServiceHost<IncidentsService> host, int number, Guid school, string type, DateTimeOffset received, DateTimeOffset? due = null,
        DateTimeOffset? closed = null, DateTimeOffset? overdue = null, string subjectKind = "unknown", string? subject = null,
        string role = "marketing_officer", bool restricted = false, bool aboutHead = false)
    {
        var id = Guid.CreateVersion7(received);
        Ids[number] = id;
        await using var owner = await IncidentsSeed.OwnerAsync(host);
        await using var batch = new NpgsqlBatch(owner);
        batch.BatchCommands.Add(Command("SELECT set_config('app.trust_id', $1, false)", Trust.ToString()));
        batch.BatchCommands.Add(Command("""
            INSERT INTO incidents.cases (trust_id, id, school_id, case_type, status, restricted, about_headteacher, chair_informed, summary,
                subject_kind, subject_ref, details, assigned_role, reporter_subject, received_at, due_at, overdue_at, outcome, significant,
                closed_at, created_at, version)
            VALUES ($1, $2, $3, $4, $5, $6, $7, false, $8, $9, $10, '{}'::jsonb, $11, 'w-reporter', $12, $13, $14, $15, $16, $17, $12, 1)
            """, Trust, id, school, type, closed is null ? "open" : "closed", restricted, aboutHead, $"World case {number} secret-summary-{number}",
            subjectKind, (object?)subject ?? DBNull.Value, role, received, (object?)due ?? DBNull.Value, (object?)overdue ?? DBNull.Value,
            closed is null ? DBNull.Value : "no_further_action", closed is null ? DBNull.Value : false, (object?)closed ?? DBNull.Value));
        await batch.ExecuteNonQueryAsync();
    }

    private static NpgsqlBatchCommand Command(string sql, params object[] values)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }

        return command;
    }
}
