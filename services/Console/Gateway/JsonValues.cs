using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Kiota.Abstractions.Serialization;

namespace Trust.Platform.Console.Gateway;

/// <summary>
/// Setting values are any JSON the catalogue types allow; the generated client carries them as Kiota's untyped nodes.
/// Pages work with System.Text.Json nodes and convert at the edge.
/// </summary>
public static class JsonValues
{
    public static JsonNode? ToJson(UntypedNode? node) => node switch
    {
        null or UntypedNull => null,
        UntypedObject o => new JsonObject(o.GetValue().Select(p => KeyValuePair.Create(p.Key, ToJson(p.Value)))),
        UntypedArray a => new JsonArray([.. a.GetValue().Select(ToJson)]),
        UntypedString s => s.GetValue() is { } text ? JsonValue.Create(text) : null,
        UntypedBoolean b => JsonValue.Create(b.GetValue()),
        UntypedInteger i => JsonValue.Create(i.GetValue()),
        UntypedLong l => JsonValue.Create(l.GetValue()),
        UntypedDouble d => JsonValue.Create(d.GetValue()),
        UntypedFloat f => JsonValue.Create(f.GetValue()),
        UntypedDecimal m => JsonValue.Create(m.GetValue()),
        _ => null,
    };

    public static UntypedNode ToUntyped(JsonNode? value) => value switch
    {
        null => new UntypedNull(),
        JsonObject o => new UntypedObject(o.ToDictionary(p => p.Key, p => ToUntyped(p.Value))),
        JsonArray a => new UntypedArray([.. a.Select(ToUntyped)]),
        _ => value.GetValueKind() switch
        {
            JsonValueKind.String => new UntypedString(value.GetValue<string>()),
            JsonValueKind.True or JsonValueKind.False => new UntypedBoolean(value.GetValue<bool>()),
            JsonValueKind.Number when long.TryParse(value.ToJsonString(), CultureInfo.InvariantCulture, out var whole) => new UntypedLong(whole),
            JsonValueKind.Number => new UntypedDouble(double.Parse(value.ToJsonString(), CultureInfo.InvariantCulture)),
            _ => new UntypedNull(),
        },
    };

    public static string Display(UntypedNode? node) => Display(ToJson(node));

    /// <summary>A value as a person reads it: lists one item after another, a person as "name (job title)".</summary>
    public static string Display(JsonNode? value) => value switch
    {
        null => "Not set",
        JsonArray { Count: 0 } => "None",
        JsonArray a => string.Join("; ", a.Select(Display)),
        JsonObject o when o["name"] is { } name => o["jobTitle"] is { } title ? $"{Display(name)} ({Display(title)})" : Display(name),
        JsonObject o => string.Join(", ", o.Select(p => $"{p.Key}: {Display(p.Value)}")),
        _ when value.GetValueKind() == JsonValueKind.True => "Yes",
        _ when value.GetValueKind() == JsonValueKind.False => "No",
        _ when value.GetValueKind() == JsonValueKind.String => value.GetValue<string>(),
        _ => value.ToJsonString(),
    };
}
