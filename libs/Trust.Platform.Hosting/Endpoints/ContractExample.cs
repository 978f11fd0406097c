using System.Text.Json;
using System.Text.Json.Nodes;

namespace Trust.Platform.Hosting.Endpoints;

/// <summary>
/// An example for the contract exactly as the API writes it (camelCase names, snake_case enums, the platform's JSON rules):
/// the document generator serialises example objects with its own settings, which would spell an enum by its C# name, so
/// an endpoint hands it plain JSON values made here:
/// <code>Summary(s => { s.ExampleRequest = ContractExample.Of(new SetOverrideRequest(24)); s.ResponseExamples[200] = ContractExample.Of(...); });</code>
/// </summary>
public static class ContractExample
{
    private static readonly JsonSerializerOptions Json = Create();

    public static object Of<T>(T value) => Plain(JsonSerializer.SerializeToNode(value, Json))!;

    private static JsonSerializerOptions Create()
    {
        // An absent optional field is as valid as a null one, and example validators judge a null against a nullable
        // reference (oneOf) more strictly than the API's own schema check does.
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web) { DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull };
        ServiceDefaults.ConfigureJson(options);
        return options;
    }

    private static object? Plain(JsonNode? node) => node switch
    {
        JsonObject o => o.ToDictionary(p => p.Key, p => Plain(p.Value)),
        JsonArray a => a.Select(Plain).ToList(),
        JsonValue v => v.GetValueKind() switch
        {
            JsonValueKind.String => v.GetValue<string>(),
            JsonValueKind.Number => v.GetValue<decimal>(),
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => null,
        },
        _ => null,
    };
}
