using System.Text.Json;
using System.Text.Json.Nodes;
using Trust.Platform.Hosting.Auth;

namespace Trust.Platform.Policy.Features.Configuration;

internal static class ConfigurationAccess
{
    public static readonly string[] SchoolReaders =
        [Roles.TrustAdmin, Roles.Headteacher, Roles.Dsl, Roles.MarketingOfficer, Roles.IctTechnician, Roles.Staff, Roles.Chair];

    public static readonly string[] SchoolEditors = [Roles.TrustAdmin, Roles.Headteacher];

    public static readonly string[] TrustReaders = [Roles.TrustAdmin, Roles.Headteacher, Roles.Chair];

    public static readonly string[] Oversight = [Roles.TrustAdmin, Roles.Chair];

    /// <summary>A JSON value as sent: omitted stays null, an explicit JSON null becomes a null node.</summary>
    public static JsonNode? ToNode(JsonElement element) => element.ValueKind == JsonValueKind.Null ? null : JsonNode.Parse(element.GetRawText());
}
