using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Kiota.Abstractions;
using Trust.Platform.Client.Incidents.Models;
using Trust.Platform.Client.Policy.Models;
using Trust.Platform.Client.Training.Models;
using Trust.Platform.Console.Gateway;

namespace Trust.Platform.Console.Pages.TrustPolicy.Dashboard;

/// <summary>
/// The trust CEO's Monday page: every school, each school's training compliance (a bar per school, lowest first), the
/// cases past their response deadline by school, and the policy reviews due. Four calls through the gateway at once,
/// each answered by the service that owns the figures; the console adds them up and never widens what they show
/// (restricted cases stay with the DSLs, so the overdue list leaves them out, as the API does).
/// </summary>
public sealed class IndexModel(GatewayClients api, CurrentUser user) : PageModel
{
    /// <summary>The most overdue cases the page reads (five pages of the API's largest); beyond it the count says "at least".</summary>
    public const int OverdueCap = 1000;

    private const int PageSize = 200;

    public IReadOnlyList<SchoolRow> Schools { get; private set; } = [];

    /// <summary>The requirements Training counts for the trust (induction, refresher, ...), in its order.</summary>
    public IReadOnlyList<string> Requirements { get; private set; } = [];

    public Date? ComplianceAsOf { get; private set; }

    public int OverdueCases { get; private set; }

    /// <summary>Whether there are more overdue cases than <see cref="OverdueCap"/>: the counts are then a floor.</summary>
    public bool OverdueCapped { get; private set; }

    /// <summary>The reviews that need the CEO: overdue, due today or inside the two months before (Policy's status).</summary>
    public IReadOnlyList<SchoolReview> Reviews { get; private set; } = [];

    public int PeopleRequirements => Schools.Sum(s => s.Total);

    public int PeopleRequirementsDone => Schools.Sum(s => s.Done);

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        // The API would refuse each call; a headteacher gets the console's 404 page, not four refusals.
        if (!await user.IsTrustAdminAsync(ct))
        {
            return NotFound();
        }

        var schools = Gateway.Schools.AllAsync(api.Policy, ct);
        var compliance = api.Training.V1.Compliance.GetAsync(cancellationToken: ct);
        var overdue = OverdueAsync(ct);
        var reviews = api.Policy.V1.Policy.Reviews.GetAsync(cancellationToken: ct);
        await Task.WhenAll(schools, compliance, overdue, reviews);

        var trained = (compliance.Result?.Schools ?? []).Where(s => s.SchoolId is not null).ToDictionary(s => s.SchoolId!.Value);
        var (cases, capped) = overdue.Result;
        var overdueBySchool = cases.Where(c => c.SchoolId is not null).GroupBy(c => c.SchoolId!.Value).ToDictionary(g => g.Key, g => g.ToList());

        Requirements = compliance.Result?.Requirements ?? [];
        ComplianceAsOf = compliance.Result?.AsOf;
        OverdueCases = cases.Count;
        OverdueCapped = capped;
        Schools = [.. schools.Result.Select(s => SchoolRow.Of(
                s,
                trained.GetValueOrDefault(s.Id!.Value),
                overdueBySchool.GetValueOrDefault(s.Id!.Value) ?? []))
            .OrderBy(s => s.Percent ?? decimal.MaxValue).ThenBy(s => s.Name, StringComparer.Ordinal)];
        Reviews = [.. (reviews.Result ?? []).Where(r => r.Status is ReviewStatus.Overdue or ReviewStatus.Due or ReviewStatus.Upcoming)
            .OrderBy(r => r.NextReviewDate?.DateTime ?? DateTime.MaxValue).ThenBy(r => r.SchoolName, StringComparer.Ordinal)];
        return Page();
    }

    private Task<(List<CaseSummary> Cases, bool Capped)> OverdueAsync(CancellationToken ct) =>
        Cursors.ReadAsync(async cursor =>
        {
            var page = await api.Incidents.V1.Cases.Overdue.GetAsync(c => { c.QueryParameters.Limit = PageSize; c.QueryParameters.Cursor = cursor; }, ct);
            return (page?.Items, page?.NextCursor);
        }, OverdueCap);

    /// <summary>One school's line: its people-requirements met (every requirement added up) and its overdue cases; <paramref name="TimeZone"/> dates its oldest overdue deadline as the school's clocks read it.</summary>
    public sealed record SchoolRow(
        Guid Id, string Name, string? TimeZone, int Done, int Total, int OverduePeopleRequirements, int OverdueCases, DateTimeOffset? OldestOverdueDue)
    {
        /// <summary>Done of total as a percentage to one place; null when the school has nobody to count yet.</summary>
        public decimal? Percent => Compliance.ComplianceText.Share(Done, Total);

        public static SchoolRow Of(SchoolResponse school, SchoolCompliance? compliance, List<CaseSummary> overdue)
        {
            var requirements = compliance?.Requirements ?? [];
            return new SchoolRow(
                school.Id!.Value,
                school.Name ?? "",
                school.TimeZone,
                requirements.Sum(r => r.Done ?? 0),
                requirements.Sum(r => r.Total ?? 0),
                requirements.Sum(r => r.Overdue ?? 0),
                overdue.Count,
                overdue.Min(c => c.DueAt));
        }
    }
}
