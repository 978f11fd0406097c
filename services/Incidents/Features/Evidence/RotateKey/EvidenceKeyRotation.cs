using Trust.Platform.Incidents.Infrastructure;

namespace Trust.Platform.Incidents.Features.Evidence.RotateKey;

/// <summary>
/// The <c>rotate-evidence-key</c> verb: re-seals every evidence file with the current <c>Evidence:Key</c>, run with the
/// same evidence settings as the service (the new key current, the old one in <c>Evidence:PreviousKeys</c>) where the
/// evidence folder is mounted. A verb rather than an endpoint: it needs the keys and the folder, not a tenant, and no
/// user of the API should be able to start a pass over every trust's files.
/// </summary>
public static class EvidenceKeyRotation
{
    public const string Verb = "rotate-evidence-key";

    public static bool IsVerb(string[] args) => args is [Verb];

    public static async Task<int> RunAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        var storage = (LocalFolderEvidenceStorage)services.GetRequiredService<IEvidenceStorage>();
        var rotated = await storage.RotateAsync(cancellationToken);
        Console.WriteLine($"{rotated} evidence file(s) re-sealed with the current key.");
        return 0;
    }
}
