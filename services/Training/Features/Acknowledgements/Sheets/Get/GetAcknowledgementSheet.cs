using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Hosting.Endpoints;
using Trust.Platform.Training.Infrastructure;

namespace Trust.Platform.Training.Features.Acknowledgements.Sheets.Get;

public sealed record GetAcknowledgementSheetQuery(Guid SchoolId, Guid SheetId);

/// <summary>The scan as uploaded, with its SHA-256: the evidence behind the paper acknowledgements recorded from it.</summary>
public sealed class GetAcknowledgementSheet(TrainingDbContext db) : PlatformEndpoint<GetAcknowledgementSheetQuery, Results<FileContentHttpResult, NotFound>>
{
    public const string HashHeader = "X-Sheet-Sha256";

    public override void Configure()
    {
        Get("/v1/schools/{schoolId:guid}/acknowledgement-sheets/{sheetId:guid}");
        Allow(RoleSets.SchoolLeaders);
        Description(b => b.Produces<AcknowledgementSheetBytes>(StatusCodes.Status200OK, "application/pdf", "image/png", "image/jpeg"));
        Document("Acknowledgements", "Download a signed acknowledgement sheet",
            "The scan as it was uploaded, with its SHA-256 in X-Sheet-Sha256 (hex) and Repr-Digest (RFC 9530), to check against the sheet's record. " +
            "It names people and bears their signatures: for the school's headteacher and the trust's admins only (API keys are refused). Another " +
            "school's sheet is a 404.");
    }

    public override async Task<Results<FileContentHttpResult, NotFound>> ExecuteAsync(GetAcknowledgementSheetQuery query, CancellationToken ct)
    {
        var sheet = await db.AcknowledgementSheets.AsNoTracking().SingleOrDefaultAsync(s => s.Id == query.SheetId && s.SchoolId == query.SchoolId, ct);
        if (sheet is null)
        {
            return TypedResults.NotFound();
        }

        HttpContext.Response.Headers[HashHeader] = Convert.ToHexStringLower(sheet.Sha256);
        HttpContext.Response.Headers["Repr-Digest"] = $"sha-256=:{Convert.ToBase64String(sheet.Sha256)}:";
        HttpContext.Response.Headers.CacheControl = "private, no-store";
        return TypedResults.File(sheet.Content, sheet.ContentType, sheet.FileName);
    }
}

/// <summary>The contract's schema of a sheet's scan in a response: bytes, at most the upload limit.</summary>
[NJsonSchema.Annotations.JsonSchemaProcessor(typeof(AcknowledgementSheetBytesSchema))]
public sealed class AcknowledgementSheetBytes;

public sealed class AcknowledgementSheetBytesSchema : NJsonSchema.Generation.ISchemaProcessor
{
    public void Process(NJsonSchema.Generation.SchemaProcessorContext context)
    {
        context.Schema.Type = NJsonSchema.JsonObjectType.String;
        context.Schema.Format = "binary";
        context.Schema.MaxLength = (int)Sheets.Record.RecordAcknowledgementSheet.MaxBytes;
        context.Schema.Properties.Clear();
        context.Schema.AllowAdditionalProperties = true;
    }
}
