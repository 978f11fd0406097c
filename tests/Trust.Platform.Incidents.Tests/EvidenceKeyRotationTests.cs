using System.Security.Cryptography;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Trust.Platform.Incidents.Infrastructure;

namespace Trust.Platform.Incidents.Tests;

/// <summary>Evidence key ids and rotation, on a folder of its own (files only: no servers).</summary>
public sealed class EvidenceKeyRotationTests : IDisposable
{
    private static readonly string KeyA = Convert.ToHexString(RandomNumberGenerator.GetBytes(32));
    private static readonly string KeyB = Convert.ToHexString(RandomNumberGenerator.GetBytes(32));
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "tp-evidence-rotation-" + Guid.NewGuid().ToString("N")[..8]);

    private LocalFolderEvidenceStorage Storage(string key, string keyId, Dictionary<string, string>? previous = null) => new(
        Options.Create(new EvidenceOptions { Path = _folder, Key = key, KeyId = keyId, PreviousKeys = previous ?? [] }),
        new HostingEnvironment { EnvironmentName = "Production", ContentRootPath = Path.Combine(Path.GetTempPath(), "tp-content-root") },
        NullLogger<LocalFolderEvidenceStorage>.Instance);

    private static async Task<byte[]> ReadAsync(LocalFolderEvidenceStorage storage, string key)
    {
        await using var stream = await storage.OpenAsync(key, CancellationToken.None);
        using var copy = new MemoryStream();
        await stream!.CopyToAsync(copy);
        return copy.ToArray();
    }

    [Fact]
    public async Task A_file_is_sealed_with_the_current_key_id_in_its_header()
    {
        var key = await Storage(KeyA, "2026-a").SaveAsync("evidence"u8.ToArray(), CancellationToken.None);

        (await Storage(KeyA, "2026-a").KeyIdOfAsync(key, CancellationToken.None)).Should().Be("2026-a");
    }

    [Fact]
    public async Task A_file_written_under_key_a_reads_after_b_becomes_current_and_after_rotation_no_longer_needs_a()
    {
        var bytes = RandomNumberGenerator.GetBytes(4096);
        var key = await Storage(KeyA, "a").SaveAsync(bytes, CancellationToken.None);

        var afterSwitch = Storage(KeyB, "b", new() { ["a"] = KeyA });
        (await ReadAsync(afterSwitch, key)).Should().Equal(bytes);

        (await afterSwitch.RotateAsync(CancellationToken.None)).Should().Be(1);
        (await afterSwitch.KeyIdOfAsync(key, CancellationToken.None)).Should().Be("b");
        (await ReadAsync(Storage(KeyB, "b"), key)).Should().Equal(bytes, "key a is no longer configured");
        (await afterSwitch.RotateAsync(CancellationToken.None)).Should().Be(0, "a second rotation finds nothing sealed with another key");
    }

    [Fact]
    public async Task Without_the_retired_key_a_file_it_sealed_does_not_open()
    {
        var key = await Storage(KeyA, "a").SaveAsync("evidence"u8.ToArray(), CancellationToken.None);

        var act = () => ReadAsync(Storage(KeyB, "b"), key);

        (await act.Should().ThrowAsync<CryptographicException>()).WithMessage("*'a'*");
    }

    [Fact]
    public async Task A_file_of_the_first_format_opens_with_a_retired_key_and_rotation_names_its_key()
    {
        // TPE1: magic, nonce, tag, ciphertext with no key id, as files were written before key ids.
        var bytes = "first format"u8.ToArray();
        var storageKey = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var sealedBytes = new byte[4 + 12 + 16 + bytes.Length];
        "TPE1"u8.CopyTo(sealedBytes);
        RandomNumberGenerator.Fill(sealedBytes.AsSpan(4, 12));
        using (var aes = new AesGcm(Convert.FromHexString(KeyA), 16))
        {
            aes.Encrypt(sealedBytes.AsSpan(4, 12), bytes, sealedBytes.AsSpan(32), sealedBytes.AsSpan(16, 16), System.Text.Encoding.ASCII.GetBytes(storageKey));
        }

        Directory.CreateDirectory(Path.Combine(_folder, storageKey[..2]));
        await File.WriteAllBytesAsync(Path.Combine(_folder, storageKey[..2], storageKey), sealedBytes);
        var storage = Storage(KeyB, "b", new() { ["a"] = KeyA });

        (await ReadAsync(storage, storageKey)).Should().Equal(bytes);
        (await storage.RotateAsync(CancellationToken.None)).Should().Be(1);
        (await ReadAsync(Storage(KeyB, "b"), storageKey)).Should().Equal(bytes);
    }

    [Fact]
    public void A_retired_key_under_the_current_key_id_is_refused()
    {
        var act = () => Storage(KeyB, "b", new() { ["b"] = KeyA });

        act.Should().Throw<InvalidOperationException>().WithMessage("*Evidence:PreviousKeys*");
    }

    public void Dispose()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }
}
