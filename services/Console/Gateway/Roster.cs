using Microsoft.Kiota.Abstractions;
using Trust.Platform.Client.Training;

namespace Trust.Platform.Console.Gateway;

/// <summary>A person on a school's roster as the console's forms name them: the roster id the APIs take, and whether they left.</summary>
public sealed record RosterPerson(Guid Id, string Name, bool Left, DateOnly? LeaveDate);

/// <summary>The console's one way of naming a member of staff instead of asking for their roster id.</summary>
public static class Roster
{
    /// <summary>
    /// Everyone on the school's roster (Training's, leavers included), by name; null when this person may not read it (the
    /// roster is for the school's leaders and DSL and the trust's admins, and Training answers anyone else 403).
    /// </summary>
    public static async Task<IReadOnlyList<RosterPerson>?> PeopleAsync(TrainingClient training, Guid schoolId, CancellationToken ct)
    {
        try
        {
            var (people, _) = await Cursors.ReadAsync(async cursor =>
            {
                var page = await training.V1.Schools[schoolId].People.GetAsync(c => { c.QueryParameters.Limit = Cursors.LargestPage; c.QueryParameters.Cursor = cursor; }, ct);
                return (page?.Items, page?.NextCursor);
            });
            return [.. people.Where(p => p.Id is not null)
                .Select(p => new RosterPerson(p.Id!.Value, p.DisplayName ?? "", p.Left == true, p.LeaveDate is { } d ? DateOnly.FromDateTime(d.DateTime) : null))
                .OrderBy(p => p.Name, StringComparer.OrdinalIgnoreCase).ThenBy(p => p.Id)];
        }
        catch (ApiException refused) when (refused.ResponseStatusCode is 403 or 404)
        {
            return null;
        }
    }
}
