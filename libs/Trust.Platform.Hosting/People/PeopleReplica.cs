using MassTransit;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;
using Trust.Platform.Contracts;
using Trust.Platform.Data;
using Trust.Platform.Data.Tenancy;
using Trust.Platform.Messaging.Inbox;

namespace Trust.Platform.Hosting.People;

/// <summary>
/// How a replica's members and appointments change, whatever order the events come in: a member's newer version wins,
/// an appointment's newer version wins, and an ended appointment stays ended (the end is kept even before the start).
/// </summary>
public static class PeopleReplica
{
    public static async Task MemberAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string schema, MemberChanged m, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand($"""
            INSERT INTO {schema}.people_members (trust_id, member_id, display_name, email, subject, issuer, staff_id, version, updated_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
            ON CONFLICT (trust_id, member_id) DO UPDATE SET
                display_name = excluded.display_name, email = excluded.email, subject = excluded.subject, issuer = excluded.issuer,
                staff_id = excluded.staff_id, version = excluded.version, updated_at = excluded.updated_at
            WHERE {schema}.people_members.version < excluded.version
            """, connection, transaction);
        Add(command, m.TrustId, m.MemberId, m.DisplayName, m.Email, Text(m.Subject), Text(m.Issuer), Uuid(m.StaffId), m.Version, m.OccurredAt);
        await command.ExecuteNonQueryAsync(ct);
    }

    public static async Task StartedAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string schema, AppointmentStarted a, CancellationToken ct)
    {
        // ended_at is neither set nor cleared here: a tombstone that came first stays.
        await using var command = new NpgsqlCommand($"""
            INSERT INTO {schema}.people_appointments (trust_id, appointment_id, member_id, school_id, role, job_title, starts_on, ends_on, version, updated_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
            ON CONFLICT (trust_id, appointment_id) DO UPDATE SET
                member_id = excluded.member_id, school_id = excluded.school_id, role = excluded.role, job_title = excluded.job_title,
                starts_on = excluded.starts_on, ends_on = excluded.ends_on, version = excluded.version, updated_at = excluded.updated_at
            WHERE {schema}.people_appointments.version < excluded.version
            """, connection, transaction);
        Add(command, a.TrustId, a.AppointmentId, a.MemberId, Uuid(a.SchoolId), a.Role, Text(a.JobTitle), a.StartsOn,
            new NpgsqlParameter { Value = (object?)a.EndsOn ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Date }, a.Version, a.OccurredAt);
        await command.ExecuteNonQueryAsync(ct);
    }

    public static async Task EndedAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string schema, AppointmentEnded a, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand($"""
            INSERT INTO {schema}.people_appointments (trust_id, appointment_id, member_id, school_id, role, version, ended_at, end_reason, updated_at)
            VALUES ($1, $2, $3, $4, $5, 0, $6, $7, $6)
            ON CONFLICT (trust_id, appointment_id) DO UPDATE SET
                ended_at = coalesce({schema}.people_appointments.ended_at, excluded.ended_at),
                end_reason = coalesce({schema}.people_appointments.end_reason, excluded.end_reason)
            """, connection, transaction);
        Add(command, a.TrustId, a.AppointmentId, a.MemberId, Uuid(a.SchoolId), a.Role, a.EndedAt, a.Reason);
        await command.ExecuteNonQueryAsync(ct);
    }

    private static NpgsqlParameter Text(string? value) => new() { Value = (object?)value ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text };

    private static NpgsqlParameter Uuid(Guid? value) => new() { Value = (object?)value ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Uuid };

    private static void Add(NpgsqlCommand command, params object[] values)
    {
        foreach (var value in values)
        {
            command.Parameters.Add(value as NpgsqlParameter ?? new NpgsqlParameter { Value = value });
        }
    }
}

/// <summary>
/// Keeps this service's copy of members and appointments, in every service (Policy included): idempotent through the
/// inbox, acting for the trust each event names; after each change it forgets what this process cached of roles.
/// </summary>
public sealed class PeopleReplicaConsumer(NpgsqlDataSource dataSource, IOptions<DatabaseOptions> database, MemberGrantCache grants) :
    IConsumer<MemberChanged>, IConsumer<AppointmentStarted>, IConsumer<AppointmentEnded>
{
    private const string Name = nameof(PeopleReplicaConsumer);

    private string Schema => database.Value.Schema;

    public Task Consume(ConsumeContext<MemberChanged> context) =>
        ApplyAsync(context.Message, (c, t) => PeopleReplica.MemberAsync(c, t, Schema, context.Message, context.CancellationToken), context.CancellationToken);

    public Task Consume(ConsumeContext<AppointmentStarted> context) =>
        ApplyAsync(context.Message, (c, t) => PeopleReplica.StartedAsync(c, t, Schema, context.Message, context.CancellationToken), context.CancellationToken);

    public Task Consume(ConsumeContext<AppointmentEnded> context) =>
        ApplyAsync(context.Message, (c, t) => PeopleReplica.EndedAsync(c, t, Schema, context.Message, context.CancellationToken), context.CancellationToken);

    private async Task ApplyAsync(IIntegrationEvent message, Func<NpgsqlConnection, NpgsqlTransaction, Task> effect, CancellationToken ct)
    {
        await using var connection = await TenantSession.OpenAsync(dataSource, message.TrustId, ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        if (await InboxClaim.TryClaimAsync(connection, transaction, Schema, message.EventId, Name, ct))
        {
            await effect(connection, transaction);
        }

        await transaction.CommitAsync(ct);
        // A removal takes effect on this process's next request, not when the cached grant expires.
        grants.Forget(message.TrustId);
    }
}
