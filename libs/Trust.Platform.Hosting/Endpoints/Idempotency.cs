using System.Text.Json;
using FastEndpoints;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Trust.Platform.Data.Tenancy;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Hosting.Http;

namespace Trust.Platform.Hosting.Endpoints;

/// <summary>
/// Endpoint metadata set by <c>Idempotent()</c>: the operation a key is claimed for (with the caller, the claim's scope),
/// and what the contract documents as the <c>Idempotency-Key</c> header.
/// </summary>
public sealed record IdempotentOperation(string Name, string Description);

/// <summary>
/// A response whose replay must not repeat all of it (a secret shown once): what the key's stored answer holds instead.
/// </summary>
public interface IReplayedAs
{
    object Replay();
}

/// <summary>
/// <c>Idempotency-Key</c> on a creating POST (draft-ietf-httpapi-idempotency-key-header), declared once per endpoint with
/// <c>Idempotent()</c> so that no handler carries any of it. Before the handler (after validation), a key is claimed in a
/// transaction of the request's scoped tenant DbContext, which the handler's <c>SaveChangesAsync</c> then joins:
/// <list type="bullet">
/// <item>the same key with another request is refused (422 <c>platform.idempotency_key_reused</c>, naming the header), or
/// 409 when its first request never finished; the handler does not run;</item>
/// <item>the same key with the same request gets the first answer again (status, <c>Location</c>/<c>ETag</c>/<c>Cache-Control</c>,
/// body as sent) and the handler does not run; a retry while the first is still running waits for it (the claim's insert
/// waits on the first transaction's row);</item>
/// <item>otherwise the handler runs; its answer is held back in memory until <see cref="IdempotencyPostProcessor{TRequest,TResponse}"/>
/// has recorded a 201 or 200 and committed, so nobody sees a created answer that was not committed. Any other answer, or an
/// exception, rolls the claim back with whatever the handler wrote, so the retry is decided afresh.</item>
/// </list>
/// "The same request" is the endpoint's bound request (route values and body; the key itself is read from the header, not
/// bound), hashed as JSON. The scope is the endpoint's class name and the caller (user subject or API key id), per trust.
/// </summary>
/// <remarks>
/// Why processors and not the handler: ten handlers used to repeat the claim, refusal, replay and record; a FastEndpoints
/// pre-processor can stop a request before its handler, and a post-processor sees the handler's typed answer. FastEndpoints
/// sends that answer before post-processors run, hence the response body is buffered between the two.
/// An endpoint that must act for another tenant before the claim (a trust being created) adds its own pre-processor
/// before calling <c>Idempotent()</c>: processors run in the order declared.
/// </remarks>
public sealed class IdempotencyPreProcessor<TRequest> : IPreProcessor<TRequest>
{
    public async Task PreProcessAsync(IPreProcessorContext<TRequest> context, CancellationToken ct)
    {
        var http = context.HttpContext;
        if (context.HasValidationFailures || http.ResponseStarted() ||
            http.Request.Headers[IdempotencyClaim.HeaderName].ToString() is not { Length: > 0 } key)
        {
            return;
        }

        if (key.Length > IdempotencyClaim.MaxKeyLength)
        {
            await http.Response.SendResultAsync(ApiProblem.Invalid(IdempotencyClaim.HeaderName, $"At most {IdempotencyClaim.MaxKeyLength} characters."));
            return;
        }

        var operation = http.GetEndpoint()?.Metadata.GetMetadata<IdempotentOperation>()
            ?? throw new InvalidOperationException("An idempotency processor runs only on an endpoint that declares Idempotent().");
        var services = http.RequestServices;
        var claim = await IdempotencyClaim.ClaimAsync(services.GetRequiredService<TenantDbContext>(), operation.Name, http.Principal(), key, context.Request,
            services.GetRequiredService<TimeProvider>(), ct);
        if (claim.Refusal is { } refused)
        {
            await http.Response.SendResultAsync(refused);
            return;
        }

        if (claim.Answered)
        {
            await claim.ReplayAsync(http.Response, ct);
            http.MarkResponseStart();
            return;
        }

        var held = new HeldAnswer(claim, http.Response.Body);
        http.Features.Set(held);
        http.Response.RegisterForDisposeAsync(held);
        http.Response.Body = held.Buffer;
    }
}

/// <summary>Records the handler's 201/200 as the key's answer and commits, then sends it; see <see cref="IdempotencyPreProcessor{TRequest}"/>.</summary>
public sealed class IdempotencyPostProcessor<TRequest, TResponse> : IPostProcessor<TRequest, TResponse>
{
    public async Task PostProcessAsync(IPostProcessorContext<TRequest, TResponse> context, CancellationToken ct)
    {
        var http = context.HttpContext;
        if (http.Features.Get<HeldAnswer>() is not { } held)
        {
            return;
        }

        http.Features.Set<HeldAnswer?>(null);
        http.Response.Body = held.Original;
        await using (held)
        {
            if (context.HasExceptionOccurred)
            {
                return; // nothing of the answer is sent; the claim rolls back and the exception handler answers
            }

            if (Answer(context.Response) is { } answer && http.Response.StatusCode == answer.Status)
            {
                var body = answer.Value is null
                    ? null
                    : JsonSerializer.Serialize(answer.Value is IReplayedAs replayed ? replayed.Replay() : answer.Value, answer.Value.GetType(),
                        http.RequestServices.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions);
                await held.Claim.RecordAsync(answer.Status, http.Response, body, ct);
            }

            held.Buffer.Position = 0;
            await held.Buffer.CopyToAsync(http.Response.Body, ct);
        }
    }

    /// <summary>The status and value of a typed 201 or 200 answer (through a <c>Results&lt;...&gt;</c> union), or null for any other.</summary>
    private static (int Status, object? Value)? Answer(object? result)
    {
        while (result is INestedHttpResult nested)
        {
            result = nested.Result;
        }

        return result is IStatusCodeHttpResult { StatusCode: StatusCodes.Status201Created or StatusCodes.Status200OK } success
            ? (success.StatusCode!.Value, (result as IValueHttpResult)?.Value)
            : null;
    }
}

/// <summary>The claim of this request and its answer, held in memory until the claim is committed or rolled back.</summary>
internal sealed class HeldAnswer(IdempotencyClaim claim, Stream original) : IAsyncDisposable
{
    public IdempotencyClaim Claim { get; } = claim;

    public Stream Original { get; } = original;

    public MemoryStream Buffer { get; } = new();

    private bool _disposed;

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        await Claim.DisposeAsync();
        await Buffer.DisposeAsync();
    }
}
