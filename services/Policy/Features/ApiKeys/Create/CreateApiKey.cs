using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Trust.Platform.Contracts;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Hosting.Http;
using Trust.Platform.Messaging.Outbox;
using Trust.Platform.Policy.Infrastructure;
using Trust.Platform.Policy.Model;

namespace Trust.Platform.Policy.Features.ApiKeys.Create;

/// <summary>A trust admin issues a key for an MIS integration. The key is in this response and nowhere else, ever.</summary>
public static class CreateApiKey
{
    public const int DefaultRateLimitPerMinute = 600;
    public const int MaxRateLimitPerMinute = 100_000;

    /// <param name="ExpiresAt">When the key stops working by itself (optional; in the future).</param>
    public sealed record Request(string Name, IReadOnlyList<string> Scopes, IReadOnlyList<Guid>? SchoolIds = null, int? RateLimitPerMinute = null, DateTimeOffset? ExpiresAt = null);

    public sealed record Response(ApiKeyResponse Key, string Secret);

    public static void Map(IEndpointRouteBuilder app) =>
        app.MapPost("/v1/api-keys", Handle)
            .RequireTrustWideAccess([Roles.TrustAdmin])
            .WithTags("API keys")
            .WithName("CreateApiKey");

    public static async Task<Results<Created<Response>, ValidationProblem>> Handle(
        Request request, HttpContext http, PolicyDbContext db, TimeProvider time, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors().Required("name", request.Name);
        if (request.Scopes.Count == 0)
        {
            errors.Add("scopes", "At least one scope.");
        }

        foreach (var scope in request.Scopes.Where(s => !Scopes.All.Contains(s)))
        {
            errors.Add("scopes", $"'{scope}' is not a scope; known scopes: {string.Join(", ", Scopes.All.Order())}.");
        }

        var rateLimit = request.RateLimitPerMinute ?? DefaultRateLimitPerMinute;
        if (rateLimit is < 1 or > MaxRateLimitPerMinute)
        {
            errors.Add("rateLimitPerMinute", $"Between 1 and {MaxRateLimitPerMinute}.");
        }

        var now = time.GetUtcNow();
        if (request.ExpiresAt is { } expiresAt && expiresAt <= now)
        {
            errors.Add("expiresAt", "Must be in the future.");
        }

        var schoolIds = (request.SchoolIds ?? []).Distinct().ToArray();
        if (schoolIds.Length > 0)
        {
            var known = await db.Schools.Where(s => schoolIds.Contains(s.Id)).Select(s => s.Id).ToListAsync(cancellationToken);
            foreach (var missing in schoolIds.Except(known))
            {
                errors.Add("schoolIds", $"{missing} is not a school of this trust.");
            }
        }

        if (errors.Any)
        {
            return errors.ToProblem();
        }

        var (secret, prefix, hash) = ApiKeySecret.Generate();
        var key = new ApiKey
        {
            TrustId = db.Tenant.TrustId!.Value,
            Id = Guid.CreateVersion7(now),
            Name = request.Name.Trim(),
            Prefix = prefix,
            Hash = hash,
            Scopes = request.Scopes.Distinct().Order(StringComparer.Ordinal).ToArray(),
            SchoolIds = schoolIds,
            RateLimitPerMinute = rateLimit,
            ExpiresAt = request.ExpiresAt,
            CreatedAt = now,
            CreatedBy = http.Principal().Subject,
        };
        db.ApiKeys.Add(key);
        db.AddEvent(new ApiKeyIssued(Guid.CreateVersion7(now), key.TrustId, now, key.Id, key.Name, key.Prefix, key.Hash, key.Scopes, key.SchoolIds, key.RateLimitPerMinute, key.ExpiresAt),
            "apikey:" + key.Id, now);
        await db.SaveChangesAsync(cancellationToken);

        http.Response.Headers.CacheControl = "no-store";
        return TypedResults.Created($"/v1/api-keys/{key.Id}", new Response(ApiKeyResponse.From(key), secret));
    }
}
