using System.Globalization;
using FastEndpoints.Swagger;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using NJsonSchema;
using NJsonSchema.Generation;
using NSwag;
using NSwag.Generation.AspNetCore;
using NSwag.Generation.Processors;
using NSwag.Generation.Processors.Contexts;
using Trust.Platform.Hosting.Auth;

namespace Trust.Platform.Hosting.Endpoints;

/// <summary>
/// The published contract of a service (<c>/openapi/v1.json</c>, committed as <c>openapi/{service}.json</c>), generated
/// by NSwag from the FastEndpoints endpoints. Beyond what the endpoints say, every operation gets what an integrator
/// needs to generate a working client and what the OWASP API rules ask for:
/// <list type="bullet">
/// <item>its security: bearer (users) and/or <c>X-Api-Key</c> (integrations), from the endpoint's access declaration;</item>
/// <item>every problem it can answer, with the problem-details schema (RFC 9457);</item>
/// <item>the rate-limit headers on every 2xx and 4xx answer, and 429 with <c>Retry-After</c>;</item>
/// <item>unique schema names (a collision fails the generation instead of renaming a type silently).</item>
/// </list>
/// </summary>
/// <summary>The contract's maxima for what has no tighter limit of its own (README: contract limits).</summary>
public static class ContractLimits
{
    /// <summary>Characters in a text field: the largest is a policy template or an amended section.</summary>
    public const int Text = 200_000;

    /// <summary>Items in an array: the largest is a roster of a school's people or a trust's schools and settings.</summary>
    public const int Items = 10_000;
}

public static class Contract
{
    public const string DocumentName = "v1";
    public const string BearerScheme = "bearer";
    public const string ApiKeyScheme = "apiKey";
    public const string ProblemSchema = "ProblemDetails";

    /// <summary>Statuses every operation can answer: refused credentials, refused access, too many requests, a fault, the database unreachable.</summary>
    private static readonly int[] Always = [401, 403, 429, 500, 503];

    public static IServiceCollection AddPlatformContract(this IServiceCollection services, string title, string description)
    {
        services.SwaggerDocument(o =>
        {
            o.ShortSchemaNames = true;
            o.ExcludeNonFastEndpoints = true;
            o.EnableJWTBearerAuth = false;
            o.AutoTagPathSegmentIndex = 0;
            o.DocumentSettings = s =>
            {
                s.DocumentName = DocumentName;
                s.Title = title;
                s.Version = "v1";
                s.Description = description;
                s.SchemaSettings.SchemaNameGenerator = new UniqueSchemaNames();
                s.SchemaSettings.SchemaProcessors.Add(new SnakeCaseEnums());
                s.SchemaSettings.SchemaProcessors.Add(new RequiredConstructorParameters());
                s.OperationProcessors.Add(new PlatformOperationProcessor());
                s.DocumentProcessors.Add(new AnyJsonAndInlineLimits());
                s.PostProcess = PostProcess;
            };
        });
        return services;
    }

    /// <summary>
    /// The document's one server, relative: the service itself, or through the gateway, which serves each document with
    /// its own prefix (/policy...). Set as the document is served, after NSwag has put in the request's own host.
    /// </summary>
    public static void RelativeServer(OpenApiDocument document)
    {
        document.Servers.Clear();
        document.Servers.Add(new AudienceServer
        {
            Url = "/",
            Description = "This service in any environment (local, staging, production); through the gateway, its prefix (/policy, /accounts, /incidents, /training).",
        });
    }

    private static void PostProcess(OpenApiDocument document)
    {
        foreach (var tag in document.Operations.SelectMany(o => o.Operation.Tags).Distinct().Order(StringComparer.Ordinal))
        {
            if (document.Tags.All(t => t.Name != tag))
            {
                document.Tags.Add(new OpenApiTag { Name = tag });
            }
        }

        document.Info.Contact = new OpenApiContact { Name = "Trust Platform", Url = "https://trust-platform.example/support" };
        document.SecurityDefinitions[BearerScheme] = new OpenApiSecurityScheme
        {
            Type = OpenApiSecuritySchemeType.Http,
            Scheme = "bearer",
            BearerFormat = "JWT",
            Description = "An access token from the trust's OpenID Connect provider (RFC8725 best practices: RS256/ES256 signed, " +
                          "typ JWT or at+jwt), carrying the trust (tp_trust) and the caller's roles per school (tp_role).",
        };
        document.SecurityDefinitions[ApiKeyScheme] = new OpenApiSecurityScheme
        {
            Type = OpenApiSecuritySchemeType.ApiKey,
            Name = ApiKeySecret.HeaderName,
            In = OpenApiSecurityApiKeyLocation.Header,
            Description = "An integration key issued by a trust admin (POST /v1/api-keys in Policy), shown once; its scopes and school restriction decide what it may do.",
        };
        RemoveUnreferencedSchemas(document);
        foreach (var schema in document.Components.Schemas.Values)
        {
            Visit(schema, new HashSet<JsonSchema>());
        }

        foreach (var operation in document.Operations)
        {
            foreach (var parameter in operation.Operation.Parameters)
            {
                if (parameter.Kind == OpenApiParameterKind.Header)
                {
                    parameter.Name = HeaderCase(parameter.Name);
                }

                Visit(parameter.Schema ?? parameter, new HashSet<JsonSchema>());
            }
        }
    }

    /// <summary>FastEndpoints registers its own error body for endpoints with validators; the platform answers problem details instead.</summary>
    private static void RemoveUnreferencedSchemas(OpenApiDocument document)
    {
        while (true)
        {
            var json = document.ToJson();
            var unused = document.Components.Schemas.Keys
                .Where(name => !json.Contains($"\"#/components/schemas/{name}\"", StringComparison.Ordinal))
                .ToList();
            if (unused.Count == 0)
            {
                return;
            }

            foreach (var name in unused)
            {
                document.Components.Schemas.Remove(name);
            }
        }
    }

    /// <summary>OpenAPI names a GUID's format <c>uuid</c>; NJsonSchema writes <c>guid</c>, which clients do not know.</summary>
    private static void Visit(JsonSchema schema, HashSet<JsonSchema> seen)
    {
        if (!seen.Add(schema))
        {
            return;
        }

        if (schema.Format == "guid")
        {
            schema.Format = "uuid";
        }

        Limit(schema);

        foreach (var child in schema.Properties.Values.Cast<JsonSchema>()
                     .Concat(schema.Item is { } item ? [item] : [])
                     .Concat(schema.AdditionalPropertiesSchema is { } additional ? [additional] : [])
                     .Concat(schema.OneOf).Concat(schema.AllOf).Concat(schema.AnyOf))
        {
            Visit(child, seen);
        }
    }

    /// <summary>
    /// Every string, array and integer of the contract has a limit (OWASP API4). Request fields get theirs from their
    /// validators (enforced); what is left is given the platform's documented maxima, which the tests hold every answer to.
    /// </summary>
    private static void Limit(JsonSchema schema)
    {
        if (schema.HasReference)
        {
            return;
        }

        if (schema.Type.HasFlag(JsonObjectType.String) && schema.MaxLength is null && schema.Enumeration.Count == 0)
        {
            schema.MaxLength = schema.Format switch
            {
                "uuid" => 36,
                "date" => 10,
                "date-time" => 40,
                "time" or "time-span" or "duration" => 40,
                _ => ContractLimits.Text,
            };
        }

        if (schema.Type.HasFlag(JsonObjectType.Array) && schema.MaxItems == 0)
        {
            schema.MaxItems = ContractLimits.Items;
        }

        if (schema.Type.HasFlag(JsonObjectType.Integer))
        {
            var wide = schema.Format == "int64";
            schema.Minimum ??= wide ? long.MinValue : int.MinValue;
            schema.Maximum ??= wide ? long.MaxValue : int.MaxValue;
        }

        if (schema.Type.HasFlag(JsonObjectType.Number))
        {
            schema.Minimum ??= -1e15m;
            schema.Maximum ??= 1e15m;
        }
    }

    private static string HeaderCase(string name) =>
        string.Join('-', name.Split('-').Select(part => part.Length == 0 ? part : char.ToUpperInvariant(part[0]) + part[1..]));

    /// <summary>RFC 9457 problem details as every service writes them (the trace id and, for 4xx about fields, the errors map).</summary>
    private static JsonSchema ProblemDetailsSchema()
    {
        var schema = new JsonSchema { Type = JsonObjectType.Object, Description = "RFC 9457 problem details.", AllowAdditionalProperties = true };
        JsonSchemaProperty Text(int max, string description) =>
            new() { Type = JsonObjectType.String, IsNullableRaw = true, MaxLength = max, Description = description };
        schema.Properties["type"] = Text(2048, "A URI reference that identifies the problem type.");
        schema.Properties["title"] = Text(500, "A short summary of the problem type.");
        schema.Properties["status"] = new JsonSchemaProperty { Type = JsonObjectType.Integer, Format = "int32", Minimum = 100, Maximum = 599 };
        schema.Properties["detail"] = Text(8000, "What went wrong in this occurrence.");
        schema.Properties["instance"] = Text(2048, "The request path.");
        schema.Properties["traceId"] = Text(64, "The W3C trace id of the request: quote it when reporting the problem.");
        schema.Properties["rule"] = Text(200, "The policy or platform rule that refused the request (422, some 403).");
        schema.Properties["state"] = Text(100, "The resource's current state (409 for an action the state does not allow).");
        schema.Properties["errors"] = new JsonSchemaProperty
        {
            Type = JsonObjectType.Object,
            Description = "Field name -> reasons.",
            AdditionalPropertiesSchema = new JsonSchema
            {
                Type = JsonObjectType.Array, MaxItems = 50,
                Item = new JsonSchema { Type = JsonObjectType.String, MaxLength = 2000 },
            },
        };
        return schema;
    }

    private sealed class PlatformOperationProcessor : IOperationProcessor
    {
        public bool Process(OperationProcessorContext context)
        {
            var metadata = context is AspNetCoreOperationProcessorContext aspNet
                ? aspNet.ApiDescription.ActionDescriptor.EndpointMetadata
                : [];
            var operation = context.OperationDescription.Operation;
            // PlatformEndpoint.Document sets them as endpoint metadata; FastEndpoints' generator reads only its own Summary(...).
            if (string.IsNullOrEmpty(operation.Summary) && metadata.OfType<IEndpointSummaryMetadata>().LastOrDefault() is { } summary)
            {
                operation.Summary = summary.Summary;
            }

            if (string.IsNullOrEmpty(operation.Description) && metadata.OfType<IEndpointDescriptionMetadata>().LastOrDefault() is { } described)
            {
                operation.Description = described.Description;
            }

            var access = metadata.OfType<AccessRequirement>().LastOrDefault();
            if (access is not null)
            {
                operation.Security = [];
                if (access.Roles.Count > 0)
                {
                    operation.Security.Add(new OpenApiSecurityRequirement { [BearerScheme] = [] });
                }

                if (access.Scopes.Count > 0)
                {
                    operation.Security.Add(new OpenApiSecurityRequirement { [ApiKeyScheme] = [] });
                }

                operation.Description = (string.IsNullOrEmpty(operation.Description) ? "" : operation.Description + "\n\n") + Access(access);
            }

            if (metadata.OfType<IdempotentOperation>().LastOrDefault() is { } idempotent)
            {
                // Declared by Idempotent() rather than bound to the request: the header is read before the handler's request exists.
                operation.Parameters.Add(new OpenApiParameter
                {
                    Name = Http.IdempotencyClaim.HeaderName,
                    Kind = OpenApiParameterKind.Header,
                    Description = idempotent.Description,
                    Schema = new JsonSchema { Type = JsonObjectType.String, MaxLength = Http.IdempotencyClaim.MaxKeyLength, IsNullableRaw = true },
                });
            }

            foreach (var alternate in metadata.OfType<AlternateContent>())
            {
                // A second media type beside the JSON of the same status (NSwag keeps one Produces per status): described as text.
                if (operation.Responses.TryGetValue(alternate.Status.ToString(CultureInfo.InvariantCulture), out var answer))
                {
                    answer.Content[alternate.MediaType] = new OpenApiMediaType
                    {
                        Schema = new JsonSchema { Type = JsonObjectType.String, MaxLength = alternate.MaxLength, Description = alternate.Description },
                    };
                }
            }

            ParameterLimits(context, operation);
            var problems = new SortedSet<int>(Always);
            if (operation.Parameters.Count > 0 || operation.RequestBody is not null)
            {
                problems.Add(400);
            }

            if (context.OperationDescription.Path.Contains('{', StringComparison.Ordinal))
            {
                problems.Add(404);
            }

            if (operation.RequestBody is not null)
            {
                problems.Add(413);
                problems.Add(415);
            }

            foreach (var extra in metadata.OfType<ProblemResponses>().SelectMany(p => p.Statuses))
            {
                problems.Add(extra);
            }

            foreach (var status in problems)
            {
                var key = status.ToString(CultureInfo.InvariantCulture);
                if (!operation.Responses.TryGetValue(key, out var response) || response.Content.Count == 0 ||
                    response.Content.ContainsKey("application/problem+json") || response.Content.ContainsKey("application/json"))
                {
                    var description = response?.Description is { Length: > 0 } d && d != ReasonPhrases.GetReasonPhrase(status) ? d : Reason(status);
                    response = new OpenApiResponse { Description = description };
                    response.Content["application/problem+json"] = new OpenApiMediaType
                    {
                        Schema = new JsonSchema { Reference = Problem(context.Document) },
                    };
                    operation.Responses[key] = response;
                }
            }

            foreach (var (key, response) in operation.Responses)
            {
                if (key.StartsWith('2') || key.StartsWith('4'))
                {
                    RateLimitHeaders(response, key == "429");
                }
            }

            if (operation.Responses.TryGetValue("503", out var unavailable))
            {
                unavailable.Headers["Retry-After"] = RetryAfter();
                unavailable.Headers["Access-Control-Allow-Origin"] = AllowOrigin();
            }

            return true;
        }

        /// <summary>
        /// A route, query or header parameter takes its limits from the endpoint's validator, as a body's fields do: the
        /// rules that refuse a value are the ones the contract shows.
        /// </summary>
        private static void ParameterLimits(OperationProcessorContext context, OpenApiOperation operation)
        {
            if (context.GetEndpointDefinition()?.ValidatorType is not { } validatorType ||
                Activator.CreateInstance(validatorType) is not FluentValidation.IValidator validator)
            {
                return;
            }

            var descriptor = validator.CreateDescriptor();
            var members = new Dictionary<string, List<(FluentValidation.Validators.IPropertyValidator Validator, FluentValidation.Internal.IRuleComponent Options)>>(StringComparer.OrdinalIgnoreCase);
            foreach (var member in descriptor.GetMembersWithValidators().Where(g => g.Key is not null))
            {
                if (!members.TryGetValue(member.Key, out var list))
                {
                    members[member.Key] = list = [];
                }

                list.AddRange(member);
            }

            foreach (var parameter in operation.Parameters.Where(p => p.Kind is not OpenApiParameterKind.Body))
            {
                // A header is bound to the property its name spells without hyphens (If-Match -> IfMatch).
                if (!members.TryGetValue(parameter.Name, out var rules) && !members.TryGetValue(parameter.Name.Replace("-", "", StringComparison.Ordinal), out rules))
                {
                    continue;
                }

                var schema = parameter.Schema ?? parameter;
                foreach (var (rule, _) in rules)
                {
                    switch (rule)
                    {
                        case FluentValidation.Validators.ILengthValidator length:
                            schema.MinLength = length.Min > 0 ? length.Min : schema.MinLength;
                            schema.MaxLength = length.Max > 0 ? length.Max : schema.MaxLength;
                            break;
                        case FluentValidation.Validators.IBetweenValidator between:
                            schema.Minimum = Convert.ToDecimal(between.From, CultureInfo.InvariantCulture);
                            schema.Maximum = Convert.ToDecimal(between.To, CultureInfo.InvariantCulture);
                            break;
                        case FluentValidation.Validators.IComparisonValidator { ValueToCompare: not null } comparison:
                            var bound = Convert.ToDecimal(comparison.ValueToCompare, CultureInfo.InvariantCulture);
                            switch (comparison.Comparison)
                            {
                                case FluentValidation.Validators.Comparison.GreaterThanOrEqual: schema.Minimum = bound; break;
                                case FluentValidation.Validators.Comparison.GreaterThan: schema.Minimum = bound; schema.IsExclusiveMinimum = true; break;
                                case FluentValidation.Validators.Comparison.LessThanOrEqual: schema.Maximum = bound; break;
                                case FluentValidation.Validators.Comparison.LessThan: schema.Maximum = bound; schema.IsExclusiveMaximum = true; break;
                            }

                            break;
                        case FluentValidation.Validators.IRegularExpressionValidator pattern:
                            schema.Pattern = pattern.Expression;
                            break;
                    }
                }
            }
        }

        private static JsonSchema Problem(OpenApiDocument document)
        {
            if (!document.Components.Schemas.TryGetValue(ProblemSchema, out var problem))
            {
                problem = ProblemDetailsSchema();
                document.Components.Schemas[ProblemSchema] = problem;
            }

            return problem;
        }

        private static string Access(AccessRequirement access)
        {
            var who = new List<string>();
            if (access.Roles.Count > 0)
            {
                who.Add("users with the role " + string.Join(", ", access.Roles) + (access.WholeTrust ? " for every school of the trust" : ""));
            }

            if (access.Scopes.Count > 0)
            {
                who.Add("API keys with the scope " + string.Join(", ", access.Scopes) + (access.WholeTrust ? " not restricted to some schools" : ""));
            }

            return "Allowed: " + string.Join("; ", who) + ".";
        }

        private static string Reason(int status) => status switch
        {
            400 => "The request is not valid: the problem's errors name each field and reason.",
            401 => "No credentials, or credentials that are not valid (WWW-Authenticate says why).",
            403 => "The caller may not do this.",
            404 => "Not found, or not visible to the caller (another trust's or school's record).",
            409 => "The resource's state or another resource conflicts with the request.",
            412 => "If-Match names an old version: read the resource again.",
            413 => "The request body is too large.",
            415 => "The request body's media type is not accepted.",
            422 => "A rule of the policy refuses the request: the problem names the rule.",
            428 => "If-Match is required for this change.",
            429 => "Too many requests: retry after the number of seconds in Retry-After.",
            500 => "An unexpected fault; the problem's traceId identifies it.",
            503 => "A dependency is unavailable: retry after the number of seconds in Retry-After.",
            _ => ReasonPhrases.GetReasonPhrase(status),
        };

        private static void RateLimitHeaders(OpenApiResponse response, bool retryAfter)
        {
            static OpenApiHeader Integer(string description) => new()
            {
                Description = description,
                Schema = new JsonSchema { Type = JsonObjectType.Integer, Format = "int32", Minimum = 0, Maximum = 1_000_000 },
            };
            response.Headers["RateLimit-Limit"] = Integer("Requests allowed in the caller's window (IETF RateLimit header fields).");
            response.Headers["RateLimit-Remaining"] = Integer("Requests left in the current window.");
            response.Headers["RateLimit-Reset"] = Integer("Seconds until the window allows a request again.");
            response.Headers["Access-Control-Allow-Origin"] = AllowOrigin();
            if (retryAfter)
            {
                response.Headers["Retry-After"] = RetryAfter();
            }
        }

        private static OpenApiHeader AllowOrigin() => new()
        {
            Description = "Only when the request's Origin is one of the service's Cors:AllowedOrigins (none by default: the console calls from its server).",
            Schema = new JsonSchema { Type = JsonObjectType.String, MaxLength = 2048, Format = "uri" },
        };

        private static OpenApiHeader RetryAfter() => new()
        {
            Description = "Seconds to wait before retrying.",
            Schema = new JsonSchema { Type = JsonObjectType.Integer, Format = "int32", Minimum = 0, Maximum = 1_000_000 },
        };
    }

    /// <summary>A server with its intended audience (OWASP API9: <c>x-internal</c>): the API is for trusts' integrations, not internal.</summary>
    private sealed class AudienceServer : OpenApiServer
    {
        [Newtonsoft.Json.JsonProperty("x-internal")]
        public bool Internal { get; set; }
    }

    /// <summary>Enums travel as snake_case strings (ServiceDefaults.ConfigureJson); the contract says the same.</summary>
    private sealed class SnakeCaseEnums : ISchemaProcessor
    {
        public void Process(SchemaProcessorContext context)
        {
            var type = Nullable.GetUnderlyingType(context.ContextualType.Type) ?? context.ContextualType.Type;
            if (!type.IsEnum)
            {
                return;
            }

            context.Schema.Type = JsonObjectType.String;
            context.Schema.Format = null;
            context.Schema.Enumeration.Clear();
            context.Schema.EnumerationNames.Clear();
            foreach (var name in Enum.GetNames(type))
            {
                context.Schema.Enumeration.Add(System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName(name));
                context.Schema.EnumerationNames.Add(name);
            }
        }
    }

    /// <summary>
    /// A schema is named after its type (<c>SetOverrideRequest</c>), generics as <c>PageOfSchoolResponse</c>. Two types with one
    /// name fail the generation: NSwag would otherwise call the second <c>Request2</c>, and a generated client would send the wrong body.
    /// </summary>
    private sealed class UniqueSchemaNames : ISchemaNameGenerator
    {
        private readonly Dictionary<string, Type> _names = new(StringComparer.Ordinal);

        public string Generate(Type type)
        {
            var name = Name(type);
            lock (_names)
            {
                if (_names.TryGetValue(name, out var other) && other != type)
                {
                    throw new InvalidOperationException($"Two contract types are both named '{name}': {other.FullName} and {type.FullName}. Rename one.");
                }

                _names[name] = type;
            }

            return name;
        }

        private static string Name(Type type)
        {
            var name = type.Name;
            if (!type.IsGenericType)
            {
                return name;
            }

            return name[..name.IndexOf('`', StringComparison.Ordinal)] + "Of" + string.Concat(type.GetGenericArguments().Select(Name));
        }
    }
}
