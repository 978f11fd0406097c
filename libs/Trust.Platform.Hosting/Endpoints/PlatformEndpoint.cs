using FastEndpoints;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Trust.Platform.Hosting.Auth;

namespace Trust.Platform.Hosting.Endpoints;

/// <summary>
/// The one way a service declares an endpoint (FastEndpoints, one folder per use case). In <c>Configure</c>:
/// the route, then <see cref="Allow"/> or <see cref="AllowTrustWide"/> (deny by default: an endpoint that
/// declares neither is refused for everyone), a summary and description for the contract, and the problems
/// it can answer besides those every operation documents (<see cref="Problems"/>). The handler returns a
/// typed <c>Results&lt;...&gt;</c> union so that the contract lists exactly what it sends.
/// </summary>
/// <remarks>
/// FastEndpoints' own <c>Roles()</c>/<c>Scopes()</c> are not used: the platform's access requirement knows
/// schools, API keys and the trust-wide rule, and the deny-by-default check looks for it.
/// </remarks>
public abstract class PlatformEndpoint<TRequest, TResult> : Endpoint<TRequest, TResult>
    where TRequest : notnull
    where TResult : IResult
{
    /// <summary>The caller: trust, roles per school, API key scopes and school restriction.</summary>
    protected PlatformPrincipal Caller => HttpContext.Principal();

    /// <summary>Users holding any of <paramref name="roles"/> (for some school; the handler checks which), API keys with any of <paramref name="scopes"/>.</summary>
    protected void Allow(IReadOnlyCollection<string> roles, params string[] scopes) =>
        Options(b => b.RequireAccess([.. roles], scopes));

    /// <summary>As <see cref="Allow"/>, for an action on the whole trust: a caller who reaches only some schools is refused (403).</summary>
    protected void AllowTrustWide(IReadOnlyCollection<string> roles, params string[] scopes) =>
        Options(b => b.RequireTrustWideAccess([.. roles], scopes));

    /// <summary>The contract's words for this operation: a one-line summary and a description for integrators.</summary>
    protected void Document(string tag, string summary, string description) =>
        Description(b => b.WithTags(tag).WithSummary(summary).WithDescription(description));

    /// <summary>Problem answers this operation gives besides 400, 401, 403, 404, 429 and 500 (409, 412, 413, 415, 422, 428...).</summary>
    protected void Problems(params int[] statuses) => Options(b => b.WithMetadata(new ProblemResponses(statuses)));

    /// <summary>Documents a text answer (e.g. <c>text/csv</c>) this operation gives beside its JSON for <paramref name="status"/>, chosen by the Accept header.</summary>
    protected void AlsoAnswers(int status, string mediaType, string description, int maxLength) =>
        Options(b => b.WithMetadata(new AlternateContent(status, mediaType, description, maxLength)));

    /// <summary>
    /// A creating POST that takes an <c>Idempotency-Key</c>: a retry with it gets the first answer, the same key with another
    /// request is a 422 (see <see cref="IdempotencyPreProcessor{TRequest}"/>). <paramref name="description"/> is the header's
    /// documentation in the contract, saying what one key stands for.
    /// </summary>
    protected void Idempotent(string description)
    {
        Options(b => b.WithMetadata(new IdempotentOperation(GetType().Name, description)));
        PreProcessor<IdempotencyPreProcessor<TRequest>>();
        PostProcessor<IdempotencyPostProcessor<TRequest, TResult>>();
    }
}

/// <summary>As <see cref="PlatformEndpoint{TRequest,TResult}"/> for an operation with no route, query, header or body input.</summary>
public abstract class PlatformEndpoint<TResult> : EndpointWithoutRequest<TResult>
    where TResult : IResult
{
    protected PlatformPrincipal Caller => HttpContext.Principal();

    protected void Allow(IReadOnlyCollection<string> roles, params string[] scopes) =>
        Options(b => b.RequireAccess([.. roles], scopes));

    protected void AllowTrustWide(IReadOnlyCollection<string> roles, params string[] scopes) =>
        Options(b => b.RequireTrustWideAccess([.. roles], scopes));

    protected void Document(string tag, string summary, string description) =>
        Description(b => b.WithTags(tag).WithSummary(summary).WithDescription(description));

    protected void Problems(params int[] statuses) => Options(b => b.WithMetadata(new ProblemResponses(statuses)));
}

/// <summary>
/// Endpoint metadata: a text answer an operation gives for <see cref="Status"/> beside its JSON when the Accept header asks for
/// <see cref="MediaType"/> (read by the contract's operation processor, which adds it to that response's content).
/// </summary>
public sealed record AlternateContent(int Status, string MediaType, string Description, int MaxLength);

/// <summary>Endpoint metadata: the extra problem statuses an operation documents (read by the contract's operation processor).</summary>
public sealed record ProblemResponses(IReadOnlyList<int> Statuses);

