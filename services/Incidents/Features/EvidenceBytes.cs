using Trust.Platform.Hosting.Endpoints;

namespace Trust.Platform.Incidents.Features;

/// <summary>The contract's schema of an evidence file in a response: bytes, at most the upload limit.</summary>
[NJsonSchema.Annotations.JsonSchemaProcessor(typeof(EvidenceBytesSchema))]
public sealed class EvidenceBytes;

public sealed class EvidenceBytesSchema : NJsonSchema.Generation.ISchemaProcessor
{
    public void Process(NJsonSchema.Generation.SchemaProcessorContext context)
    {
        context.Schema.Type = NJsonSchema.JsonObjectType.String;
        context.Schema.Format = "binary";
        context.Schema.MaxLength = (int)Evidence.Upload.UploadEvidence.MaxBytes;
        context.Schema.Properties.Clear();
        context.Schema.AllowAdditionalProperties = true;
    }
}
