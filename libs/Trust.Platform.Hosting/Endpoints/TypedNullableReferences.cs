namespace Trust.Platform.Hosting.Endpoints;

/// <summary>
/// An optional object property is written as <c>{nullable: true, oneOf: [$ref]}</c>, which OpenAPI 3.0 only allows with a
/// <c>type</c>: example validators (Spectral's oas3-valid-*-example) refuse the whole schema otherwise. This states the type,
/// on the schema it is applied to and on the object schemas its properties reference.
/// </summary>
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

