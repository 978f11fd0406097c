using NJsonSchema;
using NSwag.Generation.Processors;
using NSwag.Generation.Processors.Contexts;

namespace Trust.Platform.Hosting.Endpoints;

/// <summary>
/// Two things the generator gets wrong, put right for every service: a <see cref="System.Text.Json.Nodes.JsonNode"/> is any JSON
/// value (a setting's value, whose type the catalogue gives), not an object with JsonNode's own members; and an answer that is
/// a list or a text outside a named schema still gets the platform's documented maxima (Visit covers components and parameters).
/// </summary>
internal sealed class AnyJsonAndInlineLimits : IDocumentProcessor
{
    public void Process(DocumentProcessorContext context)
    {
        var document = context.Document;
        if (document.Components.Schemas.TryGetValue(nameof(System.Text.Json.Nodes.JsonNode), out var node))
        {
            node.Properties.Clear();
            node.Type = JsonObjectType.None;
            node.AllowAdditionalProperties = true;
            node.Description = "Any JSON value: the setting's type in the catalogue (GET /v1/policy/catalogue) says which.";
            // Any value includes null; OpenAPI 3.0 allows "nullable" only beside a type.
            foreach (var property in document.Components.Schemas.Values.SelectMany(s => s.Properties.Values)
                         .Where(p => p.OneOf.Any(o => o.Reference == node)))
            {
                property.IsNullableRaw = null;
            }
        }

        foreach (var response in document.Operations.SelectMany(o => o.Operation.Responses.Values))
        {
            foreach (var schema in response.Content.Values.Select(c => c.Schema).OfType<JsonSchema>().Where(s => !s.HasReference))
            {
                if (schema.Type.HasFlag(JsonObjectType.String) && schema.MaxLength is null)
                {
                    schema.MaxLength = ContractLimits.Text;
                }

                if (schema.Type.HasFlag(JsonObjectType.Array) && schema.MaxItems == 0)
                {
                    schema.MaxItems = ContractLimits.Items;
                }
            }
        }
    }
}
