using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
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

    /// <summary>
    /// 422: the value is well-formed but the trust's rule does not allow it. Names the setting, the rule
    /// and the trust value, as integrators and headteachers need to correct it.
    /// </summary>
    public static ProblemHttpResult RuleViolation(string key, string rule, JsonNode? trustValue, string reason) =>
        TypedResults.Problem(new ValidationProblemDetails(new Dictionary<string, string[]> { ["value"] = [reason] })
        {
            Status = StatusCodes.Status422UnprocessableEntity,
            Title = "The trust's rule does not allow this value",
            Detail = $"{key}: {reason}; the trust value is {trustValue?.ToJsonString() ?? "not set"}.",
            Extensions = { ["setting"] = key, ["rule"] = rule, ["trustValue"] = trustValue?.DeepClone() },
        });
}
