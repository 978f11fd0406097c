using MimeKit;

namespace Trust.Platform.TestSupport;

/// <summary>
/// What the real SMTP server (OpenSMTPD from deploy/local/servers.sh) delivered: a Maildir per recipient under
/// <see cref="TestEnvironment.MailDirectory"/>. Tests give every person an address of their own run
/// (<see cref="Address"/>), so suites running at once never read each other's mail.
/// </summary>
public static class MailPickup
{
    /// <summary>A fresh address at <paramref name="domain"/> for one person in one test.</summary>
    public static string Address(string who, string domain = "mellers.example") =>
        $"{who}.{Guid.NewGuid():N}@{domain}".ToLowerInvariant();

    /// <summary>Every message delivered to <paramref name="address"/> so far, oldest first.</summary>
    public static IReadOnlyList<MimeMessage> Delivered(string address)
    {
        var folder = Path.Combine(TestEnvironment.MailDirectory, address.ToLowerInvariant(), "new");
        if (!Directory.Exists(folder))
        {
            return [];
        }

        return Directory.GetFiles(folder).Select(f => (File: f, Time: File.GetLastWriteTimeUtc(f)))
            .OrderBy(f => f.Time).ThenBy(f => f.File, StringComparer.Ordinal)
            .Select(f => MimeMessage.Load(f.File)).ToList();
    }

    /// <summary>Waits until <paramref name="address"/> has received at least <paramref name="count"/> messages and returns them all.</summary>
    public static Task<IReadOnlyList<MimeMessage>> WaitForAsync(string address, int count = 1, TimeSpan? timeout = null) =>
        Eventually.Until(() => Task.FromResult(Delivered(address)), m => m.Count >= count, timeout, $"{count} message(s) for {address}");
}
