using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Kiota.Abstractions;
using Microsoft.Kiota.Abstractions.Serialization;
using Trust.Platform.Console.Gateway;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Hosting.Time;

namespace Trust.Platform.Console.Pages.Schools.SubjectAccess;

/// <summary>
/// A subject access request answered in one file: every record the four services keep about one person at the school,
/// each service's own answer (<c>GET /v1/schools/{id}/subject-access</c>) side by side in one JSON bundle. A member of
/// staff is found by roster id in all four; a pupil by MIS id in Incidents only (the others keep no pupils and refuse
/// one by name). What each part holds is the service's decision: restricted (safeguarding) cases are in Incidents' part
/// only for the school's DSL, and Incidents audits every case it includes. The bundle is the answer to the POST,
/// never stored by the console, and not cached. A member of staff is chosen by name from the roster (leavers too: a
/// request often comes after someone has left). Below the form, the requests answered at the school: each service's own
/// log (<c>GET .../subject-access/log</c>, a row written before each answer), side by side, newest first.
/// </summary>
public sealed class IndexModel(GatewayClients api, CurrentUser user, TimeProvider clock) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public Guid SchoolId { get; set; }

    [BindProperty]
    public string? RosterId { get; set; }

    [BindProperty]
    public string? MisId { get; set; }

    public string SchoolName { get; private set; } = "";

    /// <summary>The school's IANA zone: the log's times are the school's.</summary>
    public string? SchoolTimeZone { get; private set; }

    public List<(string Field, string Message)> Errors { get; } = [];

    /// <summary>The school's roster by name, leavers included; null when Training does not let this person read it (then a roster id is typed).</summary>
    public IReadOnlyList<RosterPerson>? People { get; private set; }

    /// <summary>One answered request as one service logged it.</summary>
    public sealed record LogRow(string Service, DateTimeOffset At, string SubjectKind, string SubjectRef, string RequestedBy, string RequestedAs, int Records);

    /// <summary>The requests answered at the school, every service's log merged, newest first.</summary>
    public IReadOnlyList<LogRow> Log { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (!await MayAskAsync(ct))
        {
            return NotFound();
        }

        await LoadLogAsync(ct);
        return Page();
    }

    /// <summary>Who asked, as a person reads it: a member of staff by name when the roster has them, anyone else as the log says.</summary>
    public string Requester(string requestedBy) =>
        requestedBy.StartsWith("staff:", StringComparison.Ordinal) && Guid.TryParse(requestedBy["staff:".Length..], out var id) &&
        People?.FirstOrDefault(p => p.Id == id) is { } person ? person.Name : requestedBy;

    /// <summary>About whom: a member of staff by name when the roster has them, a pupil by MIS id.</summary>
    public string Subject(LogRow row) =>
        row.SubjectKind == "staff" && Guid.TryParse(row.SubjectRef, out var id) && People?.FirstOrDefault(p => p.Id == id) is { } person
            ? person.Name
            : row.SubjectKind == "pupil" ? $"Pupil {row.SubjectRef}" : row.SubjectRef;

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        Response.Headers.CacheControl = "no-store";
        if (!await MayAskAsync(ct))
        {
            return NotFound();
        }

        var (roster, mis) = (RosterId?.Trim() is { Length: > 0 } r ? r : null, MisId?.Trim() is { Length: > 0 } m ? m : null);
        Guid? rosterId = null;
        if (roster is not null && mis is not null)
        {
            Errors.Add(("rosterId", People is null
                ? "Enter a roster id for a member of staff or an MIS id for a pupil, not both"
                : "Select a member of staff or enter a pupil's MIS id, not both"));
        }
        else if (roster is null && mis is null)
        {
            Errors.Add(("rosterId", People is null
                ? "Enter the roster id of the member of staff, or the MIS id of the pupil"
                : "Select the member of staff, or enter the MIS id of the pupil"));
        }
        else if (roster is not null)
        {
            if (Guid.TryParse(roster, out var id))
            {
                rosterId = id;
            }
            else
            {
                Errors.Add(("rosterId", "Enter the roster id as the school's MIS sync gives it, for example 0193f1a0-0000-7000-8000-000000000042"));
            }
        }

        if (Errors.Count > 0)
        {
            await LoadLogAsync(ct);
            return Page();
        }

        JsonObject parts;
        try
        {
            parts = rosterId is { } staff ? await StaffAsync(staff, ct) : await PupilAsync(mis!, ct);
        }
        catch (ApiException refused) when (refused.ResponseStatusCode == StatusCodes.Status400BadRequest)
        {
            Errors.Add((rosterId is null ? "misId" : "rosterId", "The services did not accept this id: check it and try again"));
            await LoadLogAsync(ct);
            return Page();
        }

        var now = clock.GetUtcNow();
        var bundle = new JsonObject
        {
            ["school"] = new JsonObject { ["id"] = SchoolId, ["name"] = SchoolName },
            ["subject"] = rosterId is { } roster1 ? new JsonObject { ["rosterId"] = roster1 } : new JsonObject { ["misId"] = mis },
            ["requestedBy"] = User.Identity?.Name,
            ["exportedAt"] = now,
            ["services"] = parts,
        };
        if (rosterId is null)
        {
            bundle["notAsked"] = new JsonObject
            {
                ["policy"] = "keeps no pupils", ["accounts"] = "keeps no pupils", ["training"] = "keeps no pupils",
            };
        }

        var day = PlatformClock.LocalDate(now, "Europe/London").ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        return File(Encoding.UTF8.GetBytes(bundle.ToJsonString(Indented)), "application/json", $"subject-access-{day}.json");
    }

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>A member of staff: the four services at once, each its own part.</summary>
    private async Task<JsonObject> StaffAsync(Guid rosterId, CancellationToken ct)
    {
        var policy = api.Policy.V1.Schools[SchoolId].SubjectAccess.GetAsync(c => c.QueryParameters.RosterId = rosterId, ct);
        var accounts = api.Accounts.V1.Schools[SchoolId].SubjectAccess.GetAsync(c => c.QueryParameters.RosterId = rosterId, ct);
        var incidents = api.Incidents.V1.Schools[SchoolId].SubjectAccess.GetAsync(c => c.QueryParameters.RosterId = rosterId, ct);
        var training = api.Training.V1.Schools[SchoolId].SubjectAccess.GetAsync(c => c.QueryParameters.RosterId = rosterId, ct);
        await Task.WhenAll(policy, accounts, incidents, training);
        return new JsonObject
        {
            ["policy"] = await JsonOf(policy.Result),
            ["accounts"] = await JsonOf(accounts.Result),
            ["incidents"] = await JsonOf(incidents.Result),
            ["training"] = await JsonOf(training.Result),
        };
    }

    /// <summary>A pupil: Incidents only (the cases about them).</summary>
    private async Task<JsonObject> PupilAsync(string misId, CancellationToken ct) => new()
    {
        ["incidents"] = await JsonOf(await api.Incidents.V1.Schools[SchoolId].SubjectAccess.GetAsync(c => c.QueryParameters.MisId = misId, ct)),
    };

    /// <summary>A service's answer as the contract spells it (the generated model written back with its own serializer).</summary>
    private static async Task<JsonNode?> JsonOf<T>(T? part)
        where T : IParsable =>
        part is null ? null : JsonNode.Parse(await KiotaJsonSerializer.SerializeAsStringAsync(part));

    /// <summary>The trust's admins, and the school's headteacher and DSL, as the services allow; anyone else the 404 page.</summary>
    private async Task<bool> MayAskAsync(CancellationToken ct)
    {
        var mayAsk = await user.IsTrustAdminAsync(ct) ||
            (await user.SchoolsWhereAsync(Roles.Headteacher, ct)).Contains(SchoolId) ||
            (await user.SchoolsWhereAsync(Roles.Dsl, ct)).Contains(SchoolId);
        if (mayAsk)
        {
            // The school itself: another trust's id is Policy's 404, which the console shows as its own.
            var school = await api.Policy.V1.Schools[SchoolId].GetAsync(cancellationToken: ct);
            SchoolName = school?.Name ?? "";
            SchoolTimeZone = school?.TimeZone;
            People = await Roster.PeopleAsync(api.Training, SchoolId, ct);
        }

        return mayAsk;
    }

    /// <summary>The four services' logs of the school, each read to its end (a school answers a few requests a year), merged.</summary>
    private async Task LoadLogAsync(CancellationToken ct)
    {
        var policy = Cursors.ReadAsync(async cursor =>
        {
            var page = await api.Policy.V1.Schools[SchoolId].SubjectAccess.Log.GetAsync(c => { c.QueryParameters.Limit = Cursors.LargestPage; c.QueryParameters.Cursor = cursor; }, ct);
            return (page?.Items?.Select(e => Row("Policy", e.RequestedAt, e.SubjectKind, e.SubjectRef, e.RequestedBy, e.RequestedAs, e.Records)).ToList(), page?.NextCursor);
        });
        var accounts = Cursors.ReadAsync(async cursor =>
        {
            var page = await api.Accounts.V1.Schools[SchoolId].SubjectAccess.Log.GetAsync(c => { c.QueryParameters.Limit = Cursors.LargestPage; c.QueryParameters.Cursor = cursor; }, ct);
            return (page?.Items?.Select(e => Row("Accounts", e.RequestedAt, e.SubjectKind, e.SubjectRef, e.RequestedBy, e.RequestedAs, e.Records)).ToList(), page?.NextCursor);
        });
        var incidents = Cursors.ReadAsync(async cursor =>
        {
            var page = await api.Incidents.V1.Schools[SchoolId].SubjectAccess.Log.GetAsync(c => { c.QueryParameters.Limit = Cursors.LargestPage; c.QueryParameters.Cursor = cursor; }, ct);
            return (page?.Items?.Select(e => Row("Incidents", e.RequestedAt, e.SubjectKind, e.SubjectRef, e.RequestedBy, e.RequestedAs, e.Records)).ToList(), page?.NextCursor);
        });
        var training = Cursors.ReadAsync(async cursor =>
        {
            var page = await api.Training.V1.Schools[SchoolId].SubjectAccess.Log.GetAsync(c => { c.QueryParameters.Limit = Cursors.LargestPage; c.QueryParameters.Cursor = cursor; }, ct);
            return (page?.Items?.Select(e => Row("Training", e.RequestedAt, e.SubjectKind, e.SubjectRef, e.RequestedBy, e.RequestedAs, e.Records)).ToList(), page?.NextCursor);
        });
        await Task.WhenAll(policy, accounts, incidents, training);
        Log = [.. new[] { policy, accounts, incidents, training }.SelectMany(t => t.Result.Items)
            .OrderByDescending(r => r.At).ThenBy(r => r.Service, StringComparer.Ordinal)];
    }

    private static LogRow Row(string service, DateTimeOffset? at, string? kind, string? reference, string? by, string? role, int? records) =>
        new(service, at ?? DateTimeOffset.MinValue, kind ?? "", reference ?? "", by ?? "", role ?? "", records ?? 0);
}
