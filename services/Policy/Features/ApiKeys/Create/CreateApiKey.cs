using FastEndpoints;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Trust.Platform.Contracts;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Hosting.Endpoints;
using Trust.Platform.Hosting.Http;
using Trust.Platform.Messaging.Outbox;
using Trust.Platform.Policy.Infrastructure;
using Trust.Platform.Policy.Model;

namespace Trust.Platform.Policy.Features.ApiKeys.Create;

/// <summary>A key to issue for an integration (an MIS, a website).</summary>
/// <param name="Scopes">What the key may do (directory:read, policy:read, roster:write...).</param>
/// <param name="SchoolIds">Restricts the key to these schools of the trust; omitted or empty for every school.</param>
/// <param name="RateLimitPerMinute">Requests per minute before 429; 600 when omitted.</param>
/// <param name="ExpiresAt">When the key stops working by itself (optional; in the future).</param>
public sealed record CreateApiKeyRequest(
    string Name, IReadOnlyList<string> Scopes, IReadOnlyList<Guid>? SchoolIds = null, int? RateLimitPerMinute = null, DateTimeOffset? ExpiresAt = null);

/// <summary>The key issued, and its secret.</summary>
/// <param name="Secret">
/// The key to send in X-Api-Key, in this answer and nowhere else (only its hash is stored). Null when the answer replays an
/// earlier request with the same Idempotency-Key: the secret was shown once, then; if that answer was lost, revoke the key and issue another.
/// </param>
public sealed record CreatedApiKeyResponse(ApiKeyResponse Key, string? Secret) : IReplayedAs
{
    /// <summary>An Idempotency-Key's stored answer holds no secret: the database keeps the key's hash and nothing it could be recovered from.</summary>
    public object Replay() => this with { Secret = null };
}

public sealed class CreateApiKeyCommand
{
    [FromBody]
    public CreateApiKeyRequest Body { get; init; } = null!;
}

/// <summary>A trust admin issues a key for an MIS integration. The key is in this response and nowhere else, ever.</summary>
public sealed class CreateApiKey(PolicyDbContext db, TimeProvider time)
    : PlatformEndpoint<CreateApiKeyCommand, Results<Created<CreatedApiKeyResponse>, ProblemHttpResult>>
{
    public const int DefaultRateLimitPerMinute = 600;
    public const int MaxRateLimitPerMinute = 100_000;

    public override void Configure()
    {
        Post("/v1/api-keys");
        AllowTrustWide(RoleSets.TrustAdmins);
        Document("API keys", "Issue an API key",
            "Trust admins for the whole trust only (API keys cannot issue keys). The answer holds the key once (Cache-Control: no-store); only its " +
            "hash is stored, and the other services learn of it from ApiKeyIssued. A school of another trust in schoolIds is refused on that field. " +
            "With an Idempotency-Key, a retry returns the key issued the first time without its secret; the same key with another body is a 422.");
        Problems(409, 422);
        Idempotent("Send one per key to issue: a retry with it returns the key issued the first time (without its secret).");
        Summary(s => s.ExampleRequest = new CreateApiKeyRequest("Mellers Primary School MIS", [Scope.DirectoryRead, Scope.PolicyRead], RateLimitPerMinute: 600));
    }

    public override async Task<Results<Created<CreatedApiKeyResponse>, ProblemHttpResult>> ExecuteAsync(CreateApiKeyCommand command, CancellationToken ct)
    {
        HttpContext.Response.Headers.CacheControl = "no-store";
        var request = command.Body;
        var schoolIds = (request.SchoolIds ?? []).Distinct().ToArray();
        var known = await db.Schools.Where(s => schoolIds.Contains(s.Id)).Select(s => s.Id).ToListAsync(ct);
        var unknown = schoolIds.Except(known).ToList();
        if (unknown.Count > 0)
        {
            return ApiProblem.Invalid("schoolIds", $"{string.Join(", ", unknown)}: not a school of this trust.");
        }

        var now = time.GetUtcNow();
        var (secret, prefix, hash) = ApiKeySecret.Generate();
        var key = NewKey(request, schoolIds, prefix, hash, now);
        db.ApiKeys.Add(key);
        db.AddEvent(new ApiKeyIssued(Guid.CreateVersion7(now), key.TrustId, now, key.Id, key.Name, key.Prefix, key.Hash, key.Scopes, key.SchoolIds, key.RateLimitPerMinute, key.ExpiresAt),
            "apikey:" + key.Id, now);
        await db.SaveChangesAsync(ct);

        return TypedResults.Created($"/v1/api-keys/{key.Id}", new CreatedApiKeyResponse(ApiKeyResponse.From(key), secret));
    }

    private ApiKey NewKey(CreateApiKeyRequest request, Guid[] schoolIds, string prefix, byte[] hash, DateTimeOffset now) => new()
    {
        TrustId = db.Tenant.TrustId!.Value,
        Id = Guid.CreateVersion7(now),
        Name = request.Name.Trim(),
        Prefix = prefix,
        Hash = hash,
        Scopes = request.Scopes.Distinct().Order(StringComparer.Ordinal).ToArray(),
        SchoolIds = schoolIds,
        RateLimitPerMinute = request.RateLimitPerMinute ?? DefaultRateLimitPerMinute,
        ExpiresAt = request.ExpiresAt,
        CreatedAt = now,
        CreatedBy = Caller.Subject,
    };
}

public sealed class CreateApiKeyValidator : Validator<CreateApiKeyCommand>
{
    public CreateApiKeyValidator()
    {
        RuleFor(x => x.Body).SetValidator(new CreateApiKeyRequestRules());
        // Here rather than in the body's rules: "the future" is the service's clock.
        RuleFor(x => x.Body.ExpiresAt).Must(expiresAt => expiresAt is null || expiresAt > Resolve<TimeProvider>().GetUtcNow())
            .WithMessage("Must be in the future.").When(x => x.Body is not null);
    }
}

public sealed class CreateApiKeyRequestRules : AbstractValidator<CreateApiKeyRequest>
{
    public const int MaxSchools = 1_000;

    public CreateApiKeyRequestRules()
    {
        RuleFor(x => x.Name).NotEmpty().WithMessage("Required.").MaximumLength(200);
        RuleFor(x => x.Scopes).Cascade(CascadeMode.Stop).NotNull().WithMessage("Required.")
            .Must(s => s.Count > 0).WithMessage("At least one scope.")
            .Must(s => s.Count <= Scope.All.Count).WithMessage($"At most {Scope.All.Count} scopes.")
            .Must(s => s.All(Scope.All.Contains))
            .WithMessage(x => $"'{string.Join("', '", x.Scopes.Where(s => !Scope.All.Contains(s)))}' is not a scope; known scopes: {string.Join(", ", Scope.All.Order())}.");
        RuleForEach(x => x.Scopes).MaximumLength(50);
        RuleFor(x => x.SchoolIds).Must(s => s is null || s.Count <= MaxSchools).WithMessage($"At most {MaxSchools} schools.");
        RuleFor(x => x.RateLimitPerMinute).InclusiveBetween(1, CreateApiKey.MaxRateLimitPerMinute);
    }
}
