namespace Trust.Platform.Incidents.Infrastructure;

/// <summary>Where evidence bytes live. A local folder now; object storage later behind the same interface.</summary>
public interface IEvidenceStorage
{
    Task SaveAsync(string key, ReadOnlyMemory<byte> content, CancellationToken cancellationToken);

    /// <summary>The stored bytes, or null when the key is unknown.</summary>
    Task<Stream?> OpenAsync(string key, CancellationToken cancellationToken);
}

public sealed class EvidenceOptions
{
    /// <summary>The folder for <see cref="LocalFolderEvidenceStorage"/>; default <c>&lt;content root&gt;/.evidence</c>.</summary>
    public string? Root { get; set; }
}

/// <summary>Files under <c>Evidence:Root</c>, one per item, keyed by trust/case/evidence id (no names from the client).</summary>
public sealed class LocalFolderEvidenceStorage(Microsoft.Extensions.Options.IOptions<EvidenceOptions> options, IHostEnvironment environment) : IEvidenceStorage
{
    /// <summary>Read on each use, so the folder follows the configuration the host was built with.</summary>
    public string Root => Path.GetFullPath(options.Value.Root is { Length: > 0 } root ? root : Path.Combine(environment.ContentRootPath, ".evidence"));

    private string PathOf(string key)
    {
        var root = Root;
        var path = Path.GetFullPath(Path.Combine(root, key));
        if (!path.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            throw new ArgumentException("The key escapes the evidence folder.", nameof(key));
        }

        return path;
    }

    public async Task SaveAsync(string key, ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
    {
        var path = PathOf(key);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        // Written to a temporary name and moved, so a reader never sees half a file.
        var temporary = path + ".partial";
        await using (var file = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None, 81920, useAsync: true))
        {
            await file.WriteAsync(content, cancellationToken);
        }

        File.Move(temporary, path, overwrite: false);
    }

    public Task<Stream?> OpenAsync(string key, CancellationToken cancellationToken)
    {
        var path = PathOf(key);
        return Task.FromResult<Stream?>(File.Exists(path) ? new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, useAsync: true) : null);
    }
}
