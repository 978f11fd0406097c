using System.Reflection;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Trust.Platform.Hosting.Http;

/// <summary>
/// A <typeparamref name="TValue"/> already serialised with the service's JSON options, answered as 200
/// <c>application/json</c> without serialising it again: for cached answers of hot reads, where serialising the
/// same object on every request was the biggest share of the work and of the garbage. To OpenAPI it is exactly
/// <c>Ok&lt;TValue&gt;</c>.
/// </summary>
public sealed class JsonBytesResult<TValue> : IResult, IEndpointMetadataProvider, IStatusCodeHttpResult
{
    private readonly byte[] _utf8;

    // Only the bytes are kept: a cached answer holds no object graph besides them.
    private JsonBytesResult(byte[] utf8) => _utf8 = utf8;

    public int StatusCode => StatusCodes.Status200OK;

    int? IStatusCodeHttpResult.StatusCode => StatusCode;

    /// <summary>Serialises <paramref name="value"/> once with the HTTP JSON options of <paramref name="services"/>.</summary>
    public static JsonBytesResult<TValue> Create(TValue value, IServiceProvider services)
    {
        var options = services.GetRequiredService<IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>().Value.SerializerOptions;
        return new JsonBytesResult<TValue>(JsonSerializer.SerializeToUtf8Bytes(value, options));
    }

    public Task ExecuteAsync(HttpContext httpContext)
    {
        httpContext.Response.StatusCode = StatusCode;
        httpContext.Response.ContentType = "application/json; charset=utf-8";
        httpContext.Response.ContentLength = _utf8.Length;
        return httpContext.Response.Body.WriteAsync(_utf8).AsTask();
    }

    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status200OK, typeof(TValue), ["application/json"]));
    }
}
