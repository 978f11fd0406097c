using Trust.Platform.Hosting.Endpoints;

namespace Trust.Platform.Incidents.Features;

/// <summary>The platform's endpoint base, with the contract's words written where the generated document reads them.</summary>
public abstract class IncidentsEndpoint<TRequest, TResult> : PlatformEndpoint<TRequest, TResult>
    where TRequest : notnull
    where TResult : IResult
{
    /// <summary>
    /// <see cref="PlatformEndpoint{TRequest,TResult}.Document"/>, and the same summary and description in FastEndpoints' own
    /// summary: the NSwag document takes an operation's summary and description from there, not from the route metadata.
    /// </summary>
    // REVIEW: the template's Document() alone leaves every operation without a summary; once it writes FastEndpoints' summary itself, call it directly.
    protected void Describe(string tag, string summary, string description)
    {
        Document(tag, summary, description);
        Summary(s =>
        {
            s.Summary = summary;
            s.Description = description;
        });
    }
}

/// <summary>Examples for the contract, written as the API writes them (its JSON names and snake_case enums).</summary>
public static class ContractExamples
{
    private static readonly System.Text.Json.JsonSerializerOptions Wire = WireOptions();

    /// <summary>The document's own serializer (Newtonsoft) does not know the API's JSON rules: it is given the API's JSON as a token.</summary>
    public static Newtonsoft.Json.Linq.JToken AsWire<T>(T example) =>
        Newtonsoft.Json.Linq.JToken.Parse(System.Text.Json.JsonSerializer.Serialize(example, Wire));

    private static System.Text.Json.JsonSerializerOptions WireOptions()
    {
        // Absent rather than null: an example's null in an optional object property trips OpenAPI 3.0 example validators.
        var options = new System.Text.Json.JsonSerializerOptions(System.Text.Json.JsonSerializerDefaults.Web)
        {
            DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
        };
        Trust.Platform.Hosting.ServiceDefaults.ConfigureJson(options);
        return options;
    }
}

/// <summary>
/// An optional object property is written as <c>{nullable: true, oneOf: [$ref]}</c>, which OpenAPI 3.0 only allows with a
/// <c>type</c>: example validators (Spectral's oas3-valid-*-example) refuse the whole schema otherwise. This states the type,
/// on the schema it is applied to and on the object schemas its properties reference.
/// </summary>
// REVIEW: belongs in the platform's contract generation (every service's nullable references); here until it is there.
public sealed class TypedNullableReferences : NJsonSchema.Generation.ISchemaProcessor
{
    public void Process(NJsonSchema.Generation.SchemaProcessorContext context)
    {
        Fix(context.Schema.ActualSchema, depth: 0);
    }

    private static void Fix(NJsonSchema.JsonSchema schema, int depth)
    {
        foreach (var property in schema.Properties.Values)
        {
            if (property.IsNullableRaw == true && property.Type == NJsonSchema.JsonObjectType.None && property.OneOf.Count == 1)
            {
                property.Type = NJsonSchema.JsonObjectType.Object;
            }

            var referenced = property.OneOf.Count == 1 ? property.OneOf.First().ActualSchema : property.HasReference ? property.ActualSchema : null;
            if (referenced is not null && depth < 3)
            {
                Fix(referenced, depth + 1);
            }
        }
    }
}

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
