using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Trust.Platform.Incidents.Domain;

/// <summary>
/// The hash chain over a case's timeline: entry n's hash is SHA-256(hash of entry n-1 || its canonical content),
/// the first entry chains from 32 zero bytes. Changing, removing or reordering any row breaks every later link.
/// </summary>
public static class TimelineChain
{
    public static readonly byte[] Genesis = new byte[32];

    /// <summary>PostgreSQL keeps microseconds: times are truncated before hashing so a read-back hashes the same.</summary>
    public static DateTimeOffset Normalise(DateTimeOffset at) => new(at.UtcTicks - (at.UtcTicks % 10), TimeSpan.Zero);

    public static byte[] Hash(byte[] previous, Guid trustId, Guid caseId, int seq, string kind, DateTimeOffset at, string actor, string actorRole, string body)
    {
        var content = string.Join('\n',
            trustId.ToString("N"), caseId.ToString("N"), seq.ToString(CultureInfo.InvariantCulture), kind,
            Normalise(at).UtcTicks.ToString(CultureInfo.InvariantCulture), actor, actorRole, body);
        var bytes = Encoding.UTF8.GetBytes(content);
        var buffer = new byte[previous.Length + bytes.Length];
        previous.CopyTo(buffer, 0);
        bytes.CopyTo(buffer, previous.Length);
        return SHA256.HashData(buffer);
    }
}
