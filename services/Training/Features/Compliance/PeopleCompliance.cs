using System.Globalization;
using FastEndpoints;
using FluentValidation;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using NJsonSchema;
using NJsonSchema.Annotations;
using NJsonSchema.Generation;
using Trust.Platform.Hosting.Http;
using Trust.Platform.Training.Domain.Requirements;
using Trust.Platform.Training.Infrastructure;

namespace Trust.Platform.Training.Features.Compliance;

/// <summary>One requirement a person has not met: which, since when it was due, and how far behind they are.</summary>
/// <param name="DueOn">The day it was due; for an overdue requirement, the due date that passed.</param>
/// <param name="DaysOverdue">Days since <c>dueOn</c> as of <c>asOf</c>; 0 while it is not yet overdue.</param>
public sealed record PersonRequirementOutstanding(
    Guid SchoolId, string SchoolName, Guid PersonId, string? MisId, string DisplayName, string Requirement, string? CourseCode, DateOnly DueOn,
    RequirementStatus Status, int DaysOverdue);

/// <summary>A page of outstanding requirements per person, as of a day.</summary>
public sealed record PeopleComplianceResponse(DateOnly AsOf, IReadOnlyList<PersonRequirementOutstanding> Items, string? NextCursor);

/// <summary>The filters of the per-person lists: <c>status</c>, <c>requirement</c>, <c>asOf</c>, and the page.</summary>
public class PeopleComplianceQuery : PageQuery
{
    /// <summary><c>overdue</c> (the default: behind, the due date has passed), <c>due</c> (not yet done, due today or later) or <c>all</c> (both).</summary>
    [QueryParam]
    public string? Status { get; init; }

    /// <summary>One requirement: induction, refresher, at_risk_pupils, policy_acknowledgement, incident_refresher or platform_training.</summary>
    [QueryParam]
    public string? Requirement { get; init; }

    /// <summary>The day to assess (yyyy-MM-dd); today at the school (trust-wide: where the schools are) when omitted.</summary>
    [QueryParam]
    public DateOnly? AsOf { get; init; }
}

/// <summary>The rules of <see cref="PeopleComplianceQuery"/>, written in each derived validator so that the contract shows them on the parameters.</summary>
public static class PeopleComplianceRules
{
    public static readonly string[] Statuses = ["overdue", "due", "all"];

    public static readonly string[] Requirements =
    [
        Requirement.Induction, Requirement.Refresher, Requirement.AtRiskPupils, Requirement.PolicyAcknowledgement, Requirement.IncidentRefresher,
        Requirement.PlatformTraining,
    ];
}

public static class PeopleCompliance
{
    public const string CsvType = "text/csv";

    /// <summary>The CSV answer's bound in the contract.</summary>
    public const int CsvMaxLength = 64 * 1024 * 1024;

    public static readonly string[] Columns =
        ["as_of", "school_id", "school_name", "person_id", "mis_id", "display_name", "requirement", "course_code", "due_on", "status", "days_overdue"];

    /// <summary>How the contract describes the CSV answer.</summary>
    public static readonly string CsvDescription = "CSV (RFC 4180) with a header row: " + string.Join(",", Columns) + ".";

    /// <summary>
    /// The answer of both lists: a JSON page, or, when the caller's Accept prefers text/csv to JSON, every matching row (from the cursor on)
    /// as one CSV, because a spreadsheet is read whole.
    /// </summary>
    public static async Task<Results<Ok<PeopleComplianceResponse>, ContentHttpResult, NotFound, ProblemHttpResult>> AnswerAsync(
        TrainingDbContext db, HttpContext http, PeopleComplianceQuery query, IReadOnlyCollection<Guid>? schools, DateOnly asOf, CancellationToken ct)
    {
        if (!Paging.TryRead(query.Limit, query.Cursor, out var size, out var after, out var invalid))
        {
            return invalid!;
        }

        OutstandingKey? key = null;
        if (after is not null)
        {
            var parts = after.Split('|');
            if (parts.Length != 3 || !Guid.TryParse(parts[0], out var school) || !Guid.TryParse(parts[1], out var person))
            {
                return ApiProblem.Invalid("cursor", "Not a cursor this API returned.");
            }

            key = new OutstandingKey(school, person, parts[2]);
        }

        var csv = Negotiation.Prefers(http.Request.Headers.Accept, CsvType, "application/json");
        var filter = new OutstandingFilter(query.Status ?? "overdue", query.Requirement, key, csv ? null : size + 1);
        var rows = await RequirementsQuery.OutstandingAsync(db, schools, asOf, filter, ct);
        if (csv)
        {
            return await CsvAsync(http, rows, asOf);
        }

        return TypedResults.Ok(new PeopleComplianceResponse(asOf, rows.Take(size).Select(r => Item(r, asOf)).ToList(),
            rows.Count > size ? Paging.Encode($"{rows[size - 1].SchoolId}|{rows[size - 1].PersonId}|{rows[size - 1].Requirement}") : null));
    }

    private static PersonRequirementOutstanding Item(OutstandingRow r, DateOnly asOf)
    {
        var status = RequirementRules.StatusOf(false, r.DueOn, asOf);
        return new PersonRequirementOutstanding(r.SchoolId, r.SchoolName, r.PersonId, r.MisId, r.DisplayName, r.Requirement, r.CourseCode, r.DueOn, status,
            status == RequirementStatus.Overdue ? asOf.DayNumber - r.DueOn.DayNumber : 0);
    }

    private static async Task<ContentHttpResult> CsvAsync(HttpContext http, IReadOnlyList<OutstandingRow> rows, DateOnly asOf)
    {
        var day = asOf.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        await using var text = new StringWriter(CultureInfo.InvariantCulture);
        await using (var csv = Csv.CreateWriter(text))
        {
            foreach (var header in Columns)
            {
                csv.WriteField(header);
            }

            await csv.NextRecordAsync();
            foreach (var item in rows.Select(r => Item(r, asOf)))
            {
                csv.WriteField(day);
                csv.WriteField(item.SchoolId);
                csv.WriteField(item.SchoolName);
                csv.WriteField(item.PersonId);
                csv.WriteField(item.MisId);
                csv.WriteField(item.DisplayName);
                csv.WriteField(item.Requirement);
                csv.WriteField(item.CourseCode);
                csv.WriteField(item.DueOn.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
                csv.WriteField(item.Status == RequirementStatus.Overdue ? "overdue" : "due");
                csv.WriteField(item.DaysOverdue);
                await csv.NextRecordAsync();
            }
        }

        http.Response.Headers.ContentDisposition = $"attachment; filename=\"training-people-{day}.csv\"";
        http.Response.Headers.Vary = "Accept";
        return TypedResults.Text(text.ToString(), CsvType);
    }
}
