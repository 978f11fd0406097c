using System.Text;
using System.Text.RegularExpressions;

namespace Trust.Platform.Policy.Domain.BlockedContent;

/// <summary>Where a line of the feed comes from.</summary>
public enum FeedSource
{
    /// <summary>The trust's <c>blocked_sites</c> (002: Facebook, Instagram and Twitter are blocked).</summary>
    Trust,

    /// <summary>A site the school added to the trust's list (the setting is union-only).</summary>
    School,

    /// <summary>An approved blocked-content access request in force (002 Appendix A).</summary>
    AccessRequest,
}

/// <param name="Domain">The host name, lower case, without scheme or path.</param>
/// <param name="Allow">True for an exception in force (an approved access request), false for a block.</param>
/// <param name="AllowedUntil">For an allowance: when it lapses.</param>
public sealed record FeedEntry(string Domain, bool Allow, FeedSource Source, DateTimeOffset? AllowedUntil = null);

/// <summary>
/// The filtering provider's feed of a school: its blocked sites and the allowances in force, as a provider imports them.
/// Pure, so the rules are tested without servers.
/// </summary>
public static partial class BlockedSites
{
    public const int MaxDomainLength = 253;

    /// <summary>
    /// A host name as a filter matches it: <c>https://www.Facebook.com/</c> becomes <c>www.facebook.com</c>. Null when the
    /// text is not a host name (a feed line must never carry a space, a comma or a line break a provider would misread).
    /// </summary>
    public static string? Normalise(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var host = text.Trim().ToLowerInvariant();
        var scheme = host.IndexOf("://", StringComparison.Ordinal);
        host = scheme >= 0 ? host[(scheme + 3)..] : host;
        var path = host.IndexOfAny(['/', '?', '#']);
        host = path >= 0 ? host[..path] : host;
        return host.Length <= MaxDomainLength && HostName().IsMatch(host) ? host : null;
    }

    /// <summary>
    /// Every blocked domain (the trust's first, then the school's own), then every allowance in force at <paramref name="now"/>
    /// (from its start until it lapses), each domain once per list. An entry of the setting that is not a host name is left out.
    /// </summary>
    public static IReadOnlyList<FeedEntry> Compose(IEnumerable<string> effective, IEnumerable<string> trusts, IEnumerable<Allowance> allowances, DateTimeOffset now)
    {
        var trustDomains = trusts.Select(Normalise).OfType<string>().ToHashSet(StringComparer.Ordinal);
        var blocked = effective.Select(Normalise).OfType<string>().Distinct(StringComparer.Ordinal)
            .Select(d => new FeedEntry(d, false, trustDomains.Contains(d) ? FeedSource.Trust : FeedSource.School))
            .OrderBy(e => e.Source).ThenBy(e => e.Domain, StringComparer.Ordinal);
        var allowed = allowances.Where(a => a.From <= now && now < a.Until)
            .GroupBy(a => a.Domain, StringComparer.Ordinal)
            .Select(g => new FeedEntry(g.Key, true, FeedSource.AccessRequest, g.Max(a => a.Until)))
            .OrderBy(e => e.Domain, StringComparer.Ordinal);
        return [.. blocked, .. allowed];
    }

    /// <summary>One domain per line (LF), the list asked for: what a provider's "import URL list" takes.</summary>
    public static string Plain(IEnumerable<FeedEntry> entries, bool allowList)
    {
        var text = new StringBuilder();
        foreach (var entry in entries.Where(e => e.Allow == allowList))
        {
            text.Append(entry.Domain).Append('\n');
        }

        return text.ToString();
    }

    /// <summary>
    /// RFC 4180 CSV with a header: <c>domain,action,source,allowed_until</c>; action <c>block</c> or <c>allow</c>, source
    /// <c>trust</c>, <c>school</c> or <c>access_request</c>, allowed_until an RFC 3339 UTC instant for an allowance. No field
    /// needs quoting: domains are host names and the rest are fixed words and dates.
    /// </summary>
    /// <summary>RFC 4180 with a header row and CRLF, written the platform's one way (formula cells neutralised).</summary>
    public static string Csv(IEnumerable<FeedEntry> entries)
    {
        using var text = new StringWriter(System.Globalization.CultureInfo.InvariantCulture);
        using (var csv = Trust.Platform.Hosting.Http.Csv.CreateWriter(text))
        {
            foreach (var header in new[] { "domain", "action", "source", "allowed_until" })
            {
                csv.WriteField(header);
            }

            csv.NextRecord();
            foreach (var entry in entries)
            {
                csv.WriteField(entry.Domain);
                csv.WriteField(entry.Allow ? "allow" : "block");
                csv.WriteField(SourceName(entry.Source));
                csv.WriteField(entry.AllowedUntil?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture));
                csv.NextRecord();
            }
        }

        return text.ToString();
    }

    public static string SourceName(FeedSource source) => source switch
    {
        FeedSource.Trust => "trust",
        FeedSource.School => "school",
        _ => "access_request",
    };

    // RFC 1123 labels, at least two of them (a filter list of bare words would block nothing or everything).
    [GeneratedRegex(@"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$", RegexOptions.CultureInvariant)]
    private static partial Regex HostName();
}

/// <summary>An approved access request's window for a domain.</summary>
public sealed record Allowance(string Domain, DateTimeOffset From, DateTimeOffset Until);
