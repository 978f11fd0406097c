using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Trust.Platform.Policy.Webhooks;

/// <summary>
/// The signature a receiver checks: <c>Trust-Platform-Signature: t=&lt;unix seconds&gt;,v1=&lt;hex HMAC-SHA256&gt;</c> over
/// "<c>&lt;t&gt;.&lt;body&gt;</c>" with the subscription's secret. The timestamp is signed, so a receiver that refuses old
/// timestamps (5 minutes is usual) also refuses a captured request sent again.
/// A subscription's secret is HMAC-SHA256(SigningKey, "webhook-secret:" + salt), shown once as <c>whsec_</c> + base64url;
/// only the salt is stored.
/// </summary>
public static class WebhookSigner
{
    public const string SignatureHeader = "Trust-Platform-Signature";
    public const string SecretPrefix = "whsec_";
    public const int MinimumKeyBytes = 32;

    public static byte[] ParseKey(string text)
    {
        text = text.Trim();
        byte[]? key = null;
        if (text.Length >= MinimumKeyBytes * 2 && text.Length % 2 == 0 && text.All(Uri.IsHexDigit))
        {
            key = Convert.FromHexString(text);
        }
        else
        {
            try
            {
                key = Convert.FromBase64String(text);
            }
            catch (FormatException)
            {
                // Reported below.
            }
        }

        return key is { Length: >= MinimumKeyBytes }
            ? key
            : throw new InvalidOperationException($"Webhooks:SigningKey must be at least {MinimumKeyBytes} bytes, written in hex or base64.");
    }

    public static string Secret(byte[] signingKey, byte[] salt)
    {
        byte[] message = [.. "webhook-secret:"u8, .. salt];
        var material = HMACSHA256.HashData(signingKey, message);
        return SecretPrefix + Convert.ToBase64String(material).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    public static string Sign(string secret, DateTimeOffset timestamp, string body)
    {
        var t = timestamp.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(t + "." + body));
        return $"t={t},v1={Convert.ToHexStringLower(mac)}";
    }

    /// <summary>What a receiver does (the test receiver uses it): recompute and compare in constant time.</summary>
    public static bool Verify(string secret, string header, string body, DateTimeOffset now, TimeSpan tolerance)
    {
        var parts = header.Split(',', StringSplitOptions.TrimEntries).Select(p => p.Split('=', 2)).Where(p => p.Length == 2).ToList();
        var t = parts.FirstOrDefault(p => p[0] == "t")?[1];
        if (!long.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            || (now - DateTimeOffset.FromUnixTimeSeconds(seconds)).Duration() > tolerance)
        {
            return false;
        }

        var expected = Encoding.ASCII.GetBytes(Sign(secret, DateTimeOffset.FromUnixTimeSeconds(seconds), body).Split(",v1=")[1]);
        return parts.Where(p => p[0] == "v1").Any(p => CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(p[1]), expected));
    }
}
