using System.Security.Cryptography;
using System.Text;
using FastEndpoints;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Net.Http.Headers;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Hosting.Endpoints;
using Trust.Platform.Hosting.Http;
using Trust.Platform.Policy.Domain.BlockedContent;
using SiteFeed = Trust.Platform.Policy.Domain.BlockedContent.BlockedSites;
using Trust.Platform.Policy.Infrastructure;

namespace Trust.Platform.Policy.Features.BlockedSites.Feed;

public sealed class GetBlockedSitesFeedQuery
{
    public Guid SchoolId { get; init; }

    /// <summary><c>blocked</c> (the default for text/plain) or <c>allowed</c>: which list to answer; text/csv answers both unless told.</summary>
    public string? List { get; init; }

    [FromHeader("If-None-Match", IsRequired = false)]
    public string? IfNoneMatch { get; init; }
}

public sealed class GetBlockedSitesFeedValidator : Validator<GetBlockedSitesFeedQuery>
{
    public GetBlockedSitesFeedValidator()
    {
        RuleFor(x => x.List).Must(l => l is null or GetBlockedSitesFeed.BlockedList or GetBlockedSitesFeed.AllowedList)
            .WithMessage("Must be blocked or allowed.");
        RuleFor(x => x.IfNoneMatch).MaximumLength(200);
    }
}

/// <summary>The school's blocked sites, and the allowances in force, as the filtering provider imports them.</summary>
public sealed class GetBlockedSitesFeed(PolicyDbContext db, TimeProvider time)
    : PlatformEndpoint<GetBlockedSitesFeedQuery, Results<ContentHttpResult, StatusCodeHttpResult, ProblemHttpResult>>
{
    public const string BlockedList = "blocked";
    public const string AllowedList = "allowed";
    public const string PlainText = "text/plain";
    public const string Csv = "text/csv";

    public override void Configure()
    {
        Get("/v1/schools/{schoolId:guid}/blocked-sites");
        Allow(RoleSets.AnyoneInSchool, Scope.PolicyRead);
        Document("Blocked sites", "Read a school's blocked-sites feed",
            "For the school's filtering provider (an API key with policy:read for the school) and anyone in the school: the school's effective " +
            "`blocked_sites`, the trust's list plus the sites the school added (002: Facebook, Instagram and Twitter are blocked), and the exceptions in " +
            "force: a blocked-content access request approved under 002 Appendix A allows its site from its start until it lapses, then leaves the feed. " +
            "`Accept: text/plain` (the default) answers one host name per line: `list=blocked` (the default) or `list=allowed`, for a provider's block " +
            "and allow URL lists (an allow entry is an exception that takes precedence over the block for its period). `Accept: text/csv` answers " +
            "`domain,action,source,allowed_until` (RFC 4180, CRLF, a header row): action `block` or `allow`, source `trust`, `school` or `access_request`, " +
            "allowed_until the UTC instant an allowance lapses; `list` filters it to one action. An entry of the setting that is not a host name is left " +
            "out. The answer carries a strong ETag: send it in If-None-Match to get a 304 while nothing changed. Another trust's or school's feed is a 404.");
        Description(b => b.Produces<string>(StatusCodes.Status200OK, PlainText, Csv).Produces(StatusCodes.Status304NotModified));
    }

    public override async Task<Results<ContentHttpResult, StatusCodeHttpResult, ProblemHttpResult>> ExecuteAsync(GetBlockedSitesFeedQuery query, CancellationToken ct)
    {
        if (!Caller.CanActForSchool(query.SchoolId, [.. RoleSets.AnyoneInSchool]) || !await db.Schools.AnyAsync(s => s.Id == query.SchoolId, ct))
        {
            // A provider asks for text/plain or text/csv; a 404 is still the problem document the contract names (a bare NotFound
            // would be written in the negotiated text type).
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found");
        }

        var entries = await SchoolFeed.EntriesAsync(db, query.SchoolId, time.GetUtcNow(), ct);
        // CSV when the caller's Accept names text/csv with a higher (or the same) weight than text/plain.
        var csv = Negotiation.Prefers(HttpContext.Request.Headers.Accept, Csv, PlainText, winsTies: true);
        var body = csv
            ? SiteFeed.Csv(query.List is null ? entries : entries.Where(e => e.Allow == (query.List == AllowedList)))
            : SiteFeed.Plain(entries, query.List == AllowedList);
        var contentType = (csv ? Csv + "; header=present" : PlainText) + "; charset=utf-8";

        // The ETag names the bytes and their type: a provider polling every few minutes gets a 304 until a site or an allowance changes.
        var etag = "\"" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(contentType + "\n" + body)))[..32] + "\"";
        HttpContext.Response.Headers[HeaderNames.ETag] = etag;
        HttpContext.Response.Headers[HeaderNames.Vary] = HeaderNames.Accept;
        HttpContext.Response.Headers[HeaderNames.CacheControl] = "private, no-cache";
        if (query.IfNoneMatch is { } ifNoneMatch &&
            ifNoneMatch.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Any(t => t == "*" || t == etag || t == "W/" + etag))
        {
            return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        }

        return TypedResults.Text(body, contentType);
    }
}
