using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using NJsonSchema;
using NJsonSchema.Annotations;
using NJsonSchema.Generation;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Hosting.Endpoints;
using Trust.Platform.Hosting.Http;
using Trust.Platform.Training.Infrastructure;

namespace Trust.Platform.Training.Features.Compliance.Export;

public sealed class ExportCompliance(TrainingDbContext db, TimeProvider time) : PlatformEndpoint<ComplianceQuery, ContentHttpResult>
{
    public static readonly string[] Columns = ["as_of", "school_id", "school_name", "requirement", "total", "done", "due", "overdue", "percent_compliant"];

    public override void Configure()
    {
        Get("/v1/compliance/export");
        Allow(RoleSets.SchoolOversight, Scope.ComplianceRead);
        Description(b => b.Produces<ComplianceCsv>(StatusCodes.Status200OK, "text/csv"), clearDefaults: true);
        Document("Compliance", "Export training compliance as CSV",
            "The trust-wide figures of GET /v1/compliance as a CSV attachment, one line per school and requirement, columns " +
            string.Join(", ", Columns) + ". Cells that a spreadsheet would run as a formula are neutralised. For leaders and DSLs, or a key with compliance:read.");
    }

    public override async Task<ContentHttpResult> ExecuteAsync(ComplianceQuery query, CancellationToken ct)
    {
        var report = await TrustCompliance.BuildAsync(db, Caller.SchoolsFor([.. RoleSets.SchoolOversight]), query.AsOf, time, ct);
        var asOf = report.AsOf.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        await using var text = new StringWriter(CultureInfo.InvariantCulture);
        await using (var csv = Csv.CreateWriter(text))
        {
            foreach (var header in Columns)
            {
                csv.WriteField(header);
            }

            await csv.NextRecordAsync();
            foreach (var school in report.Schools)
            {
                foreach (var r in school.Requirements)
                {
                    csv.WriteField(asOf);
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

        HttpContext.Response.Headers.ContentDisposition = $"attachment; filename=\"training-compliance-{asOf}.csv\"";
        return TypedResults.Text(text.ToString(), "text/csv");
    }
}

/// <summary>The CSV text of the export, as the contract describes it: a string, bounded (500 schools by six requirements is about 250 kB).</summary>
[JsonSchemaProcessor(typeof(Schema))]
public sealed class ComplianceCsv
{
    public const int MaxLength = 16 * 1024 * 1024;

    // Public: NJsonSchema calls it through dynamic binding, which sees public members only.
    public sealed class Schema : ISchemaProcessor
    {
        public void Process(SchemaProcessorContext context)
        {
            context.Schema.Type = JsonObjectType.String;
            context.Schema.Properties.Clear();
            context.Schema.AllowAdditionalProperties = true;
            context.Schema.MaxLength = MaxLength;
            context.Schema.Description = "CSV (RFC 4180) with a header row: " + string.Join(",", ExportCompliance.Columns) + ".";
        }
    }
}
