using System.Globalization;
using FastEndpoints;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Npgsql;
using Trust.Platform.Data;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Hosting.Endpoints;
using Trust.Platform.Hosting.Http;
using Trust.Platform.Hosting.People;

namespace Trust.Platform.Policy.Features.People.Changes;

public sealed class ListPeopleChangesQuery
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 500;

    /// <summary>The <c>cursor</c> of the previous answer; none to read the feed from its start.</summary>
    [QueryParam]
    public string? After { get; init; }

    /// <summary>Member and appointment states per answer, 1-500 (100 when omitted).</summary>
    [QueryParam]
    public int? Limit { get; init; }
}

/// <summary>
/// The people change feed the replicas reconcile from, shaped as the API key feed: every member and appointment of every
/// trust changed after the cursor, oldest change first. The platform's services only (it spans trusts and carries emails).
/// </summary>
public sealed class ListPeopleChanges(NpgsqlDataSource dataSource, IOptions<DatabaseOptions> database)
    : PlatformEndpoint<ListPeopleChangesQuery, Results<Ok<PeopleChanges>, ProblemHttpResult>>
{
    public override void Configure()
    {
        Get("/v1/people/changes");
        Allow(RoleSets.PlatformServices);
        Document("People", "Read the people change feed",
            "The platform's own services only (role platform_service, never a person or a key): every member and appointment of every trust " +
            "changed after the cursor, oldest change first, as MemberChanged, AppointmentStarted and AppointmentEnded carry them. Each service's " +
            "replica reconciles from it, so an ended post whose event was lost still ends. Send the answer's cursor as after for the next page; " +
            "more says whether one follows.");
    }

    public override async Task<Results<Ok<PeopleChanges>, ProblemHttpResult>> ExecuteAsync(ListPeopleChangesQuery query, CancellationToken ct)
    {
        var from = 0L;
        if (query.After is { } after &&
            !(Paging.TryRead(1, after, out _, out var decoded, out _) && long.TryParse(decoded, NumberStyles.None, CultureInfo.InvariantCulture, out from)))
        {
            return ApiProblem.Invalid("after", "Not a cursor this API returned.");
        }

        var size = query.Limit ?? ListPeopleChangesQuery.DefaultLimit;
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var command = new NpgsqlCommand($"SELECT * FROM {database.Value.Schema}.people_changes($1, $2)", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = from });
        command.Parameters.Add(new NpgsqlParameter { Value = size + 1 });
        var members = new List<MemberState>();
        var appointments = new List<AppointmentState>();
        var last = from;
        var more = false;
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            if (members.Count + appointments.Count == size)
            {
                more = true;
                break;
            }

            last = reader.GetInt64(0);
            if (reader.GetString(1) == "member")
            {
                members.Add(new MemberState(reader.GetGuid(2), reader.GetGuid(3), reader.GetString(6), reader.GetString(7), Text(reader, 8), Text(reader, 9),
                    reader.IsDBNull(10) ? null : reader.GetGuid(10), reader.GetInt32(17)));
            }
            else
            {
                appointments.Add(new AppointmentState(reader.GetGuid(2), reader.GetGuid(3), reader.GetGuid(4), reader.IsDBNull(5) ? null : reader.GetGuid(5),
                    reader.GetString(11), Text(reader, 12), reader.GetFieldValue<DateOnly>(13), reader.IsDBNull(14) ? null : reader.GetFieldValue<DateOnly>(14),
                    reader.IsDBNull(15) ? null : reader.GetFieldValue<DateTimeOffset>(15), Text(reader, 16), reader.GetInt32(17)));
            }
        }

        return TypedResults.Ok(new PeopleChanges(members, appointments, Paging.Encode(last.ToString(CultureInfo.InvariantCulture)), more));
    }

    private static string? Text(NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);
}

public sealed class ListPeopleChangesValidator : Validator<ListPeopleChangesQuery>
{
    public ListPeopleChangesValidator()
    {
        RuleFor(x => x.Limit).InclusiveBetween(1, ListPeopleChangesQuery.MaxLimit).WithMessage($"Must be between 1 and {ListPeopleChangesQuery.MaxLimit}.");
        RuleFor(x => x.After).MaximumLength(200);
    }
}
