using NJsonSchema;
using NSwag.Generation.Processors;
using NSwag.Generation.Processors.Contexts;
using Trust.Platform.Hosting.Endpoints;

namespace Trust.Platform.Policy.Infrastructure;

/// <summary>
/// What Policy's contract needs beyond the platform's generation (NSwag adds every registered document processor):
/// a setting's value is any JSON value of the setting's type (the generator would describe <see cref="System.Text.Json.Nodes.JsonNode"/>'s
/// own members), and an answer that is a list or a text outside a named schema still gets the platform's documented maxima.
/// </summary>
/// <remarks>REVIEW: the response limits belong in the platform's contract (Contract.Visit covers components and parameters only).</remarks>
public sealed class PolicyContractSchemas : IDocumentProcessor
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
