using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;
using Trust.Platform.Hosting.Endpoints;
using Trust.Platform.Hosting.Http;

namespace Trust.Platform.Incidents.Features.Statistics;

/// <summary>What the two statistics endpoints answer alike: JSON, or CSV when the caller prefers it.</summary>
public static class CaseStatisticsEndpoints
{
    public const string Csv = "text/csv";

    public const string Json = "application/json";

    /// <summary>The CSV answer's bound in the contract (a few hundred lines at most: 36 months, 500 schools, the types).</summary>
    public const int CsvMaxLength = 1024 * 1024;

    /// <summary>How the contract describes the CSV answer.</summary>
    public static readonly string CsvDescription =
        "CSV (RFC 4180, CRLF) with a header row: " + string.Join(",", CaseStatisticsReport.Columns) + "; one line per group " +
        "(`total`, `type`, `month`, `school`), `key` naming the type, month or school. A type line leaves `restricted` empty.";

    public const string Restricted =
        "Restricted (safeguarding) cases, including every case about a headteacher, are counted in `cases` and `restricted` of the " +
        "totals, their month and their school, and nowhere else: never under a type, never in the SLA or time-to-close figures, so no " +
        "comparison of answers tells their type, subject, reporter or status. The figures are the same whoever asks.";

    /// <summary>A 404 that stays a problem document whatever the caller's Accept asked for.</summary>
    public static ProblemHttpResult NotFound(HttpContext context) => TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found");

    public static async Task<Results<Ok<CaseStatistics>, ContentHttpResult, ProblemHttpResult>> AnswerAsync(HttpContext context, CaseStatistics statistics, string name)
    {
        context.Response.Headers[HeaderNames.Vary] = HeaderNames.Accept;
        if (!Negotiation.Prefers(context.Request.Headers.Accept, Csv, Json))
        {
            return TypedResults.Ok(statistics);
        }

        context.Response.Headers.ContentDisposition = $"attachment; filename=\"{name}-{statistics.From}-{statistics.To}.csv\"";
        return TypedResults.Text(await CaseStatisticsReport.CsvAsync(statistics), Csv + "; header=present; charset=utf-8");
    }
}
