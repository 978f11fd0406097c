using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace Trust.Platform.Incidents.Infrastructure;

/// <summary>Where evidence bytes live. A local folder now; object storage later behind the same interface.</summary>
public interface IEvidenceStorage
{
    /// <summary>Stores the bytes and returns the key to open them with (a name chosen by the storage, telling nothing).</summary>
    Task<string> SaveAsync(ReadOnlyMemory<byte> content, CancellationToken cancellationToken);

    /// <summary>The stored bytes as they were saved, or null when the key is unknown.</summary>
    Task<Stream?> OpenAsync(string key, CancellationToken cancellationToken);

    /// <summary>Removes the stored bytes; a key already removed is not an error (a disposal's cleanup may run twice).</summary>
    Task DeleteAsync(string key, CancellationToken cancellationToken);
}

public sealed class EvidenceOptions
{
    /// <summary>The data folder; default <c>&lt;local application data&gt;/trust-platform/evidence</c>. Never inside the build output.</summary>
    public string? Path { get; set; }

    /// <summary>The AES-256 key that encrypts evidence at rest: 32 bytes as 64 hex digits or base64, from the secrets.</summary>
    public string? Key { get; set; }
}

/// <summary>
/// The evidence settings the service runs with, checked when it starts: a folder outside the build output and the
/// content root, and a key. Only in Development may the key be missing; then a key is made for this process alone
/// (what it stored cannot be read after a restart), which is what a local run without secrets can honestly offer.
/// </summary>
public sealed record EvidenceSettings(string Folder, byte[] Key, bool EphemeralKey)
{
    public const int KeyBytes = 32;

    public static EvidenceSettings Resolve(EvidenceOptions options, IHostEnvironment environment, string buildOutput)
    {
        var folder = options.Path is { Length: > 0 } configured ? configured : DefaultFolder();
        folder = System.IO.Path.TrimEndingDirectorySeparator(System.IO.Path.GetFullPath(folder, environment.ContentRootPath));
        foreach (var forbidden in new[] { buildOutput, environment.ContentRootPath })
        {
            if (IsWithin(folder, forbidden))
            {
                throw new InvalidOperationException(
                    $"Evidence:Path ({folder}) is inside {forbidden}: evidence never lives in the build output or beside the service's files. Set Evidence:Path to a data folder.");
            }
        }

        if (options.Key is { Length: > 0 } text)
        {
            return new EvidenceSettings(folder, ParseKey(text), EphemeralKey: false);
        }

        if (!environment.IsDevelopment())
        {
            throw new InvalidOperationException("Evidence:Key is required: evidence is encrypted at rest with a key from the secrets (32 bytes, hex or base64).");
        }

        return new EvidenceSettings(folder, RandomNumberGenerator.GetBytes(KeyBytes), EphemeralKey: true);
    }

    private static string DefaultFolder()
    {
        var data = Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData);
        if (data.Length == 0)
        {
            throw new InvalidOperationException("Set Evidence:Path: this account has no local application data folder for the default.");
        }

        return System.IO.Path.Combine(data, "trust-platform", "evidence");
    }

    private static bool IsWithin(string path, string folder)
    {
        var root = System.IO.Path.TrimEndingDirectorySeparator(System.IO.Path.GetFullPath(folder));
        return path.Equals(root, StringComparison.Ordinal) || path.StartsWith(root + System.IO.Path.DirectorySeparatorChar, StringComparison.Ordinal);
    }

    private static byte[] ParseKey(string text)
    {
        text = text.Trim();
        byte[]? key = null;
        if (text.Length == KeyBytes * 2)
        {
            try
            {
                key = Convert.FromHexString(text);
            }
            catch (FormatException)
            {
                key = null;
            }
        }

        if (key is null)
        {
            var buffer = new byte[text.Length];
            key = Convert.TryFromBase64String(text, buffer, out var written) ? buffer[..written] : null;
        }

        return key is { Length: KeyBytes }
            ? key
            : throw new InvalidOperationException("Evidence:Key must be 32 bytes, written as 64 hex digits or in base64.");
    }
}

/// <summary>Refuses to start the service with evidence settings that <see cref="EvidenceSettings.Resolve"/> rejects.</summary>
public sealed class EvidenceOptionsValidator(IHostEnvironment environment) : IValidateOptions<EvidenceOptions>
{
    public ValidateOptionsResult Validate(string? name, EvidenceOptions options)
    {
        try
        {
            EvidenceSettings.Resolve(options, environment, AppContext.BaseDirectory);
            return ValidateOptionsResult.Success;
        }
        catch (InvalidOperationException e)
        {
            return ValidateOptionsResult.Fail(e.Message);
        }
    }
}

/// <summary>
/// Evidence encrypted at rest in a folder only the service's user can open (0700, files 0600). Each file is AES-256-GCM
/// with a random nonce and its storage key as associated data (a file moved under another name fails to open); it is
/// named by 128 random bits, so the name tells nothing about the trust, the case or the evidence. The hash users see
/// stays the hash of the plaintext, kept in the database.
/// </summary>
public sealed partial class LocalFolderEvidenceStorage : IEvidenceStorage
{
    private const int NonceBytes = 12;
    private const int TagBytes = 16;
    private static readonly byte[] Magic = "TPE1"u8.ToArray();
    private const UnixFileMode FolderMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private readonly byte[] _key;

    public LocalFolderEvidenceStorage(IOptions<EvidenceOptions> options, IHostEnvironment environment, ILogger<LocalFolderEvidenceStorage> logger)
    {
        var settings = EvidenceSettings.Resolve(options.Value, environment, AppContext.BaseDirectory);
        Root = settings.Folder;
        _key = settings.Key;
        CreatePrivateFolder(Root);
        if (settings.EphemeralKey)
        {
            Log.EphemeralKey(logger);
        }
    }

    public string Root { get; }

    public async Task<string> SaveAsync(ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
    {
        var key = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var path = PathOf(key);
        CreatePrivateFolder(System.IO.Path.GetDirectoryName(path)!);

        var sealedBytes = new byte[Magic.Length + NonceBytes + TagBytes + content.Length];
        Magic.CopyTo(sealedBytes, 0);
        var nonce = sealedBytes.AsSpan(Magic.Length, NonceBytes);
        RandomNumberGenerator.Fill(nonce);
        using (var aes = new AesGcm(_key, TagBytes))
        {
            aes.Encrypt(nonce, content.Span, sealedBytes.AsSpan(Magic.Length + NonceBytes + TagBytes), sealedBytes.AsSpan(Magic.Length + NonceBytes, TagBytes),
                Encoding.ASCII.GetBytes(key));
        }

        // Written to a temporary name and moved, so a reader never sees half a file.
        var temporary = path + ".partial";
        var create = new FileStreamOptions { Mode = System.IO.FileMode.CreateNew, Access = FileAccess.Write, Options = FileOptions.Asynchronous };
        if (!OperatingSystem.IsWindows())
        {
            create.UnixCreateMode = FileMode;
        }

        await using (var file = new FileStream(temporary, create))
        {
            await file.WriteAsync(sealedBytes, cancellationToken);
        }

        File.Move(temporary, path, overwrite: false);
        return key;
    }

    public async Task<Stream?> OpenAsync(string key, CancellationToken cancellationToken)
    {
        var path = PathOf(key);
        if (!File.Exists(path))
        {
            return null;
        }

        var sealedBytes = await File.ReadAllBytesAsync(path, cancellationToken);
        if (sealedBytes.Length < Magic.Length + NonceBytes + TagBytes || !sealedBytes.AsSpan(0, Magic.Length).SequenceEqual(Magic))
        {
            throw new InvalidDataException("The stored evidence file is not in the encrypted format.");
        }

        var plain = new byte[sealedBytes.Length - Magic.Length - NonceBytes - TagBytes];
        using (var aes = new AesGcm(_key, TagBytes))
        {
            // Throws when the file was changed, moved under another key, or sealed with another key.
            aes.Decrypt(sealedBytes.AsSpan(Magic.Length, NonceBytes), sealedBytes.AsSpan(Magic.Length + NonceBytes + TagBytes),
                sealedBytes.AsSpan(Magic.Length + NonceBytes, TagBytes), plain, Encoding.ASCII.GetBytes(key));
        }

        return new MemoryStream(plain, writable: false);
    }

    public Task DeleteAsync(string key, CancellationToken cancellationToken)
    {
        // File.Delete does nothing when the file is absent; a half-written upload of the same key goes too.
        var path = PathOf(key);
        File.Delete(path);
        File.Delete(path + ".partial");
        return Task.CompletedTask;
    }

    /// <summary>Keys are the storage's own hex names, fanned out by their first two digits; anything else is refused.</summary>
    private string PathOf(string key)
    {
        if (key.Length != 32 || !key.All(char.IsAsciiHexDigitLower))
        {
            throw new ArgumentException("Not an evidence storage key.", nameof(key));
        }

        return System.IO.Path.Combine(Root, key[..2], key);
    }

    private static void CreatePrivateFolder(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
            return;
        }

        Directory.CreateDirectory(path, FolderMode);
        // An existing folder keeps its mode on CreateDirectory: narrow it.
        File.SetUnixFileMode(path, FolderMode);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 5301, Level = LogLevel.Warning,
            Message = "Evidence:Key is not set: evidence is encrypted with a key made for this process (Development only); it cannot be read after a restart")]
        public static partial void EphemeralKey(ILogger logger);
    }
}
