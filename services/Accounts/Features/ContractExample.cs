using System.Text.Json;
using System.Text.Json.Nodes;
using Trust.Platform.Hosting;

namespace Trust.Platform.Accounts.Features;

/// <summary>
/// An example for the contract as the API writes it (camelCase names, snake_case enums): the document generator serialises
/// examples with its own settings, which would spell an enum as its C# name, so it is given plain JSON values instead.
/// </summary>
// REVIEW: PlatformEndpoint.Document's summary and description do not reach the NSwag document (it reads FastEndpoints'
// own summary), so every endpoint here also sets them in Summary(...); drop those two lines once Document does it.
internal static class ContractExample
{
    private static readonly JsonSerializerOptions Json = Create();

    public static object Of<T>(T value) => Plain(JsonSerializer.SerializeToNode(value, Json))!;

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
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
