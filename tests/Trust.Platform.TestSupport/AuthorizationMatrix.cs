using System.Net;
using System.Text;
using FluentAssertions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Trust.Platform.TestSupport;

/// <summary>
/// Endpoint x caller -> expected status, executed for real. A caller is a named way of calling (a user
/// role in its own school, in another school, in another trust, an API key with or without the scope...);
/// the test project decides what each name means.
/// </summary>
public sealed record MatrixRow(string Method, string Pattern, string Path, IReadOnlyDictionary<string, HttpStatusCode> Expected, string? Body = null)
{
    public override string ToString() => $"{Method} {Pattern}";
}

/// <summary>
/// Callers every row of every service's matrix must state an expectation for: the ones a new endpoint is
/// most likely to forget (an API key restricted to some schools; a token whose school roles name no school).
/// </summary>
public static class MatrixCallers
{
    /// <summary>An API key holding every scope, restricted to a school other than the one a row's path names.</summary>
    public const string RestrictedKey = "key_restricted";

    /// <summary>A signed token of the trust whose school roles (<c>dsl</c>, <c>headteacher</c>, ...) name no school.</summary>
    public const string RoleWithoutSchool = "role_without_school";

    public static readonly IReadOnlyList<string> Required = [RestrictedKey, RoleWithoutSchool];
}

public static class AuthorizationMatrix
{
    /// <summary>Every endpoint the service maps, as "METHOD pattern" (an any-method endpoint such as a health check counts as GET).</summary>
    public static IReadOnlyList<string> MappedEndpoints(IServiceProvider services) =>
        services.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"]).Select(m => $"{m} /{e.RoutePattern.RawText!.TrimStart('/')}"))
            .Distinct()
            .Order(StringComparer.Ordinal)
            .ToList();

    public static void ShouldCoverEveryEndpoint(IServiceProvider services, IEnumerable<MatrixRow> rows)
    {
        var covered = rows.Select(r => $"{r.Method} {r.Pattern}").ToHashSet(StringComparer.Ordinal);
        var missing = MappedEndpoints(services).Where(e => !covered.Contains(e)).ToList();
        missing.Should().BeEmpty("every mapped endpoint needs rows in the authorisation matrix");
        ShouldExpectEveryRequiredCaller(rows);
    }

    /// <summary>A row that says nothing about a required caller fails, so no endpoint can skip them.</summary>
    public static void ShouldExpectEveryRequiredCaller(IEnumerable<MatrixRow> rows)
    {
        var silent = rows
            .SelectMany(r => MatrixCallers.Required.Where(c => !r.Expected.ContainsKey(c)).Select(c => $"{r} says nothing for {c}"))
            .ToList();
        silent.Should().BeEmpty("every row states what an API key restricted to another school and a school-less role get");
    }

    /// <summary>Runs every row for every caller and reports all mismatches at once.</summary>
    public static async Task ShouldHoldAsync(IEnumerable<MatrixRow> rows, IReadOnlyDictionary<string, Func<HttpClient>> callers)
    {
        var all = rows.ToList();
        ShouldExpectEveryRequiredCaller(all);
        callers.Keys.Should().Contain(MatrixCallers.Required, "the required callers must be defined by every service's matrix");
        var failures = new List<string>();
        foreach (var row in all)
        {
            foreach (var (caller, expected) in row.Expected)
            {
                using var client = callers[caller]();
                using var request = new HttpRequestMessage(new HttpMethod(row.Method), row.Path);
                if (row.Body is not null)
                {
                    request.Content = new StringContent(row.Body, Encoding.UTF8, "application/json");
                }

                request.Headers.TryAddWithoutValidation("If-Match", "*");
                using var response = await client.SendAsync(request);
                if (response.StatusCode != expected)
                {
                    failures.Add($"{row} as {caller}: expected {(int)expected}, got {(int)response.StatusCode}");
                }
            }
        }

        failures.Should().BeEmpty();
    }
}
