using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Hosting.Http;
using Trust.Platform.Training.Features.Common;
using Trust.Platform.Training.Infrastructure;

namespace Trust.Platform.Training.Features.Compliance.Export;

/// <summary>GET /v1/compliance/export: the trust-wide figures as CSV, one line per school and requirement.</summary>
public static class ExportCompliance
{
    public static void Map(IEndpointRouteBuilder app) =>
        app.MapGet("/v1/compliance/export", Handle)
            .RequireAccess(TrainingAccess.Readers, Scopes.ComplianceRead)
            .Produces<string>(StatusCodes.Status200OK, "text/csv")
            .WithTags("Compliance")
            .WithName("ExportCompliance");

    public static async Task<ContentHttpResult> Handle(
        DateOnly? as_of, HttpContext http, TrainingDbContext db, TimeProvider time, CancellationToken cancellationToken)
    {
        var asOf = as_of ?? DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        var report = await TrustCompliance.BuildAsync(db, http.Principal().SchoolsFor(TrainingAccess.Readers), asOf, cancellationToken);
        await using var text = new StringWriter(CultureInfo.InvariantCulture);
        await using (var csv = Csv.CreateWriter(text))
        {
            foreach (var header in new[] { "as_of", "school_id", "school_name", "requirement", "total", "done", "due", "overdue", "percent_compliant" })
            {
                csv.WriteField(header);
            }

            await csv.NextRecordAsync();
            foreach (var school in report.Schools)
            {
                foreach (var r in school.Requirements)
                {
                    csv.WriteField(asOf.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
                    csv.WriteField(school.SchoolId);
                    csv.WriteField(school.Name);
                    csv.WriteField(r.Requirement);
                    csv.WriteField(r.Total);
                    csv.WriteField(r.Done);
                    csv.WriteField(r.Due);
                    csv.WriteField(r.Overdue);
                    csv.WriteField(r.PercentCompliant);
                    await csv.NextRecordAsync();
                }
            }
        }

        http.Response.Headers.ContentDisposition = $"attachment; filename=\"training-compliance-{asOf:yyyy-MM-dd}.csv\"";
        return TypedResults.Text(text.ToString(), "text/csv");
    }
}
