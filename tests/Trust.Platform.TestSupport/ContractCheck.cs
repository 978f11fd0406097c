using System.Collections.Concurrent;
using System.Globalization;
using System.Text.RegularExpressions;
using NJsonSchema;
using NSwag;

namespace Trust.Platform.TestSupport;

/// <summary>The service's answer is not what its committed contract says it would be.</summary>
public sealed class ContractViolationException(string message) : Exception(message);

/// <summary>
/// Checks every answer a test receives against the committed contract (<c>openapi/{service}.json</c>): the status must be
/// documented for the operation, and a JSON body must match the documented schema. A golden file only proves the
/// document did not change; this proves it is right. A violation throws, so the test that made the call fails with it.
/// </summary>
public sealed class ContractCheck(string service) : DelegatingHandler
{
    private static readonly ConcurrentDictionary<string, Lazy<Task<Contract>>> Contracts = new();

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        if (OpenApiGolden.Updating)
        {
            return response; // The committed documents are being rewritten from the services: nothing to check against yet.
        }

        var contract = await Contracts.GetOrAdd(service, s => new Lazy<Task<Contract>>(() => Contract.LoadAsync(s))).Value;
        await contract.CheckAsync(request, response, cancellationToken);
        return response;
    }

    private sealed class Contract(string service, IReadOnlyList<(string Method, Regex Path, string Template, OpenApiOperation Operation)> operations)
    {
        public static async Task<Contract> LoadAsync(string service)
        {
            var path = Path.Combine(OpenApiGolden.RepositoryRoot(), "openapi", service + ".json");
            var document = await OpenApiDocument.FromFileAsync(path);
            var operations = document.Operations
                .Select(o => (o.Method.ToUpperInvariant(), PathPattern(o.Path), o.Path, o.Operation))
                .ToList();
            return new Contract(service, operations);
        }

        /// <summary>One character per segment, literal above parameter, so that ordinal order ranks the most literal template first.</summary>
        private static string Specificity(string template) =>
            string.Concat(template.Split('/').Select(segment => segment.StartsWith('{') ? '0' : '1'));

        private static Regex PathPattern(string template) =>
            new("^" + Regex.Replace(Regex.Escape(template), @"\\\{[^}]+}", "[^/]+") + "$", RegexOptions.CultureInvariant);

        public async Task CheckAsync(HttpRequestMessage request, HttpResponseMessage response, CancellationToken cancellationToken)
        {
            var method = request.Method.Method.ToUpperInvariant();
            var requestPath = request.RequestUri!.AbsolutePath;
            // As the router does, a literal segment wins over a parameter (/v1/api-keys/changes is not /v1/api-keys/{keyId}).
            var match = operations.Where(o => o.Method == method && o.Path.IsMatch(requestPath))
                .OrderByDescending(o => Specificity(o.Template), StringComparer.Ordinal)
                .FirstOrDefault();
            if (match.Operation is null)
            {
                return; // Not an operation of the contract (health, a path no route matches): nothing is promised.
            }

            var status = ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture);
            if (!match.Operation.Responses.TryGetValue(status, out var documented))
            {
                throw new ContractViolationException(
                    $"{method} {match.Template} answered {status}, which openapi/{service}.json does not document for it (it documents {string.Join(", ", match.Operation.Responses.Keys)}).");
            }

            var mediaType = response.Content.Headers.ContentType?.MediaType;
            if (mediaType is null || response.Content.Headers.ContentLength == 0)
            {
                return;
            }

            if (!documented.Content.TryGetValue(mediaType, out var content))
            {
                if (documented.Content.Count > 0)
                {
                    throw new ContractViolationException(
                        $"{method} {match.Template} answered {status} as {mediaType}; the contract documents {string.Join(", ", documented.Content.Keys)}.");
                }

                return;
            }

            if (!mediaType.EndsWith("json", StringComparison.Ordinal) || content.Schema is null)
            {
                return;
            }

            await response.Content.LoadIntoBufferAsync(cancellationToken);
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            var errors = content.Schema.ActualSchema.Validate(body, SchemaType.OpenApi3);
            if (errors.Count > 0)
            {
                throw new ContractViolationException(
                    $"{method} {match.Template} answered {status} with a body that does not match openapi/{service}.json: " +
                    string.Join("; ", errors.Select(e => $"{e.Path}: {e.Kind}")) + $"\nBody: {Truncate(body)}");
            }
        }

        private static string Truncate(string body) => body.Length <= 2000 ? body : body[..2000] + "...";
    }
}
