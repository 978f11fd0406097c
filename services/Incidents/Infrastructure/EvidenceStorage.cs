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

    /// <summary>The name of <see cref="Key"/>, written in the header of every file it seals (letters, digits, '.', '_', '-'; at most 32).</summary>
    public string KeyId { get; set; } = EvidenceSettings.DefaultKeyId;

    /// <summary>Keys retired by a rotation, by their id: they still open the files they sealed until the rotate-evidence-key verb re-seals them.</summary>
    public Dictionary<string, string> PreviousKeys { get; set; } = [];
}

/// <summary>
/// The evidence settings the service runs with, checked when it starts: a folder outside the build output and the
/// content root, and a key. Only in Development may the key be missing; then a key is made for this process alone
/// (what it stored cannot be read after a restart), which is what a local run without secrets can honestly offer.
/// </summary>
public sealed record EvidenceSettings(string Folder, byte[] Key, bool EphemeralKey, string KeyId, IReadOnlyDictionary<string, byte[]> PreviousKeys)
{
    public const int KeyBytes = 32;
    public const string DefaultKeyId = "1";

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

        var keyId = ValidKeyId(options.KeyId, "Evidence:KeyId");
        var previous = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var (id, text) in options.PreviousKeys)
        {
            previous[ValidKeyId(id, "Evidence:PreviousKeys")] = ParseKey(text);
        }

        if (previous.ContainsKey(keyId))
        {
            throw new InvalidOperationException($"Evidence:PreviousKeys names the current Evidence:KeyId ({keyId}): a retired key needs an id of its own.");
        }

        if (options.Key is { Length: > 0 } current)
        {
            return new EvidenceSettings(folder, ParseKey(current), EphemeralKey: false, keyId, previous);
        }

        if (!environment.IsDevelopment())
        {
            throw new InvalidOperationException("Evidence:Key is required: evidence is encrypted at rest with a key from the secrets (32 bytes, hex or base64).");
        }

        return new EvidenceSettings(folder, RandomNumberGenerator.GetBytes(KeyBytes), EphemeralKey: true, keyId, previous);
    }

    private static string ValidKeyId(string? id, string setting) =>
        id is { Length: > 0 and <= 32 } && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-')
            ? id
            : throw new InvalidOperationException($"{setting}: a key id is 1 to 32 letters, digits, '.', '_' or '-'.");

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
/// <para>
/// A file's header names the key that sealed it (<c>TPE2</c>, the key id's length and the id), so the key can be rotated:
/// new files are sealed with <see cref="EvidenceOptions.KeyId"/>, files of a retired key open with
/// <see cref="EvidenceOptions.PreviousKeys"/>, and <see cref="RotateAsync"/> re-seals them with the current key. Files of the
/// first format (<c>TPE1</c>, no key id) open with whichever configured key sealed them.
/// </para>
/// </summary>
public sealed partial class LocalFolderEvidenceStorage : IEvidenceStorage
{
    private const int NonceBytes = 12;
    private const int TagBytes = 16;
    private static readonly byte[] Magic = "TPE2"u8.ToArray();
    private static readonly byte[] UnnamedKeyMagic = "TPE1"u8.ToArray();
    private const UnixFileMode FolderMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private readonly byte[] _key;
    private readonly string _keyId;
    private readonly IReadOnlyDictionary<string, byte[]> _previousKeys;
    private readonly ILogger<LocalFolderEvidenceStorage> _logger;

    public LocalFolderEvidenceStorage(IOptions<EvidenceOptions> options, IHostEnvironment environment, ILogger<LocalFolderEvidenceStorage> logger)
    {
        var settings = EvidenceSettings.Resolve(options.Value, environment, AppContext.BaseDirectory);
        Root = settings.Folder;
        _key = settings.Key;
        _keyId = settings.KeyId;
        _previousKeys = settings.PreviousKeys;
        _logger = logger;
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
        await WriteAtomicallyAsync(path, ".partial", Seal(key, content.Span), replace: false, cancellationToken);
        return key;
    }

    public async Task<Stream?> OpenAsync(string key, CancellationToken cancellationToken)
    {
        var path = PathOf(key);
        if (!File.Exists(path))
        {
            return null;
        }

        var (plain, _) = Unseal(key, await File.ReadAllBytesAsync(path, cancellationToken));
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

    /// <summary>The id of the key that sealed the stored file (null for a first-format file, which names none).</summary>
    public async Task<string?> KeyIdOfAsync(string key, CancellationToken cancellationToken)
    {
        var sealedBytes = await File.ReadAllBytesAsync(PathOf(key), cancellationToken);
        return sealedBytes.AsSpan().StartsWith(Magic) ? ReadKeyId(sealedBytes, out _) : null;
    }

    /// <summary>
    /// Re-seals with the current key every file sealed with another (a retired key, or a first-format file); returns how
    /// many. Each file is replaced whole (written aside, then renamed over it), so a reader sees the old or the new file,
    /// both of which open while the retired key is still configured. Run it after making the new key current; once it
    /// answers, the retired key can leave <see cref="EvidenceOptions.PreviousKeys"/>. Running it again re-seals nothing.
    /// </summary>
    public async Task<int> RotateAsync(CancellationToken cancellationToken)
    {
        var rotated = 0;
        foreach (var path in Directory.EnumerateFiles(Root, "*", SearchOption.AllDirectories))
        {
            var key = System.IO.Path.GetFileName(path);
            if (key.Length != 32 || !key.All(char.IsAsciiHexDigitLower))
            {
                continue;
            }

            byte[] sealedBytes;
            try
            {
                sealedBytes = await File.ReadAllBytesAsync(path, cancellationToken);
            }
            catch (FileNotFoundException)
            {
                // Disposed of meanwhile.
                continue;
            }

            if (sealedBytes.AsSpan().StartsWith(Magic) && ReadKeyId(sealedBytes, out _) == _keyId)
            {
                continue;
            }

            var (plain, _) = Unseal(key, sealedBytes);
            // REVIEW: a disposal that removes this file between the read above and the rename below would see it come
            // back; the window is one file's write, and the removal sweep does not look at it again. A lock per key would close it.
            if (File.Exists(path))
            {
                await WriteAtomicallyAsync(path, ".rotating", Seal(key, plain), replace: true, cancellationToken);
                rotated++;
            }
        }

        Log.Rotated(_logger, rotated, _keyId);
        return rotated;
    }

    /// <summary>TPE2 | id length | id | nonce | tag | ciphertext, with the storage key as associated data.</summary>
    private byte[] Seal(string key, ReadOnlySpan<byte> content)
    {
        var id = Encoding.ASCII.GetBytes(_keyId);
        var header = Magic.Length + 1 + id.Length;
        var sealedBytes = new byte[header + NonceBytes + TagBytes + content.Length];
        Magic.CopyTo(sealedBytes, 0);
        sealedBytes[Magic.Length] = (byte)id.Length;
        id.CopyTo(sealedBytes, Magic.Length + 1);
        var nonce = sealedBytes.AsSpan(header, NonceBytes);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(_key, TagBytes);
        aes.Encrypt(nonce, content, sealedBytes.AsSpan(header + NonceBytes + TagBytes), sealedBytes.AsSpan(header + NonceBytes, TagBytes),
            Encoding.ASCII.GetBytes(key));
        return sealedBytes;
    }

    private (byte[] Plain, string? KeyId) Unseal(string key, byte[] sealedBytes)
    {
        int header;
        string? keyId;
        IEnumerable<byte[]> candidates;
        if (sealedBytes.AsSpan().StartsWith(Magic))
        {
            keyId = ReadKeyId(sealedBytes, out header);
            var named = keyId == _keyId ? _key : _previousKeys.GetValueOrDefault(keyId)
                ?? throw new CryptographicException($"The evidence file was sealed with key '{keyId}', which is neither Evidence:KeyId nor in Evidence:PreviousKeys.");
            candidates = [named];
        }
        else if (sealedBytes.AsSpan().StartsWith(UnnamedKeyMagic))
        {
            // The first format names no key: it opens with whichever configured key sealed it (a wrong key fails its tag).
            keyId = null;
            header = UnnamedKeyMagic.Length;
            candidates = [_key, .. _previousKeys.Values];
        }
        else
        {
            throw new InvalidDataException("The stored evidence file is not in the encrypted format.");
        }

        if (sealedBytes.Length < header + NonceBytes + TagBytes)
        {
            throw new InvalidDataException("The stored evidence file is not in the encrypted format.");
        }

        var plain = new byte[sealedBytes.Length - header - NonceBytes - TagBytes];
        CryptographicException? last = null;
        foreach (var candidate in candidates)
        {
            try
            {
                using var aes = new AesGcm(candidate, TagBytes);
                // Throws when the file was changed, moved under another key, or sealed with another key.
                aes.Decrypt(sealedBytes.AsSpan(header, NonceBytes), sealedBytes.AsSpan(header + NonceBytes + TagBytes),
                    sealedBytes.AsSpan(header + NonceBytes, TagBytes), plain, Encoding.ASCII.GetBytes(key));
                return (plain, keyId);
            }
            catch (CryptographicException e)
            {
                last = e;
            }
        }

        throw last!;
    }

    private static string ReadKeyId(byte[] sealedBytes, out int header)
    {
        var length = sealedBytes.Length > Magic.Length ? sealedBytes[Magic.Length] : 0;
        header = Magic.Length + 1 + length;
        if (length == 0 || sealedBytes.Length < header)
        {
            throw new InvalidDataException("The stored evidence file is not in the encrypted format.");
        }

        return Encoding.ASCII.GetString(sealedBytes, Magic.Length + 1, length);
    }

    /// <summary>Written to a temporary name and moved, so a reader never sees half a file.</summary>
    private static async Task WriteAtomicallyAsync(string path, string suffix, byte[] bytes, bool replace, CancellationToken cancellationToken)
    {
        var temporary = path + suffix;
        if (replace)
        {
            // A rotation that died halfway leaves its temporary file; this one starts again.
            File.Delete(temporary);
        }

        var create = new FileStreamOptions { Mode = System.IO.FileMode.CreateNew, Access = FileAccess.Write, Options = FileOptions.Asynchronous };
        if (!OperatingSystem.IsWindows())
        {
            create.UnixCreateMode = FileMode;
        }

        await using (var file = new FileStream(temporary, create))
        {
            await file.WriteAsync(bytes, cancellationToken);
        }

        File.Move(temporary, path, overwrite: replace);
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

        [LoggerMessage(EventId = 5302, Level = LogLevel.Information, Message = "Re-sealed {Count} evidence file(s) with key {KeyId}")]
        public static partial void Rotated(ILogger logger, int count, string keyId);
    }
}
