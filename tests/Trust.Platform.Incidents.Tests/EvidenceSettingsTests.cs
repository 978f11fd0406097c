using Microsoft.Extensions.Hosting.Internal;
using Trust.Platform.Incidents.Infrastructure;
using Trust.Platform.TestSupport;

namespace Trust.Platform.Incidents.Tests;

/// <summary>The evidence folder and key the service accepts when it starts (pure logic, and one real start).</summary>
public sealed class EvidenceSettingsTests
{
    private static readonly string Data = Path.Combine(Path.GetTempPath(), "tp-evidence-settings");
    private static readonly string Key = Convert.ToHexString(new byte[32]);

    private static HostingEnvironment Environment(string name) => new() { EnvironmentName = name, ContentRootPath = Path.Combine(Path.GetTempPath(), "tp-content-root") };

    [Fact]
    public void Outside_development_evidence_without_a_key_is_refused()
    {
        var act = () => EvidenceSettings.Resolve(new EvidenceOptions { Path = Data }, Environment("Production"), AppContext.BaseDirectory);
        act.Should().Throw<InvalidOperationException>().WithMessage("*Evidence:Key*");
    }

    [Fact]
    public void In_development_without_a_key_evidence_is_encrypted_with_a_key_for_this_process_only()
    {
        var first = EvidenceSettings.Resolve(new EvidenceOptions { Path = Data }, Environment("Development"), AppContext.BaseDirectory);
        var second = EvidenceSettings.Resolve(new EvidenceOptions { Path = Data }, Environment("Development"), AppContext.BaseDirectory);
        first.EphemeralKey.Should().BeTrue();
        first.Key.Should().HaveCount(32).And.NotEqual(second.Key);
    }

    [Theory]
    [InlineData("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")]
    [InlineData("ASNFZ4mrze8BI0VniavN7wEjRWeJq83vASNFZ4mrze8=")]
    public void A_32_byte_key_is_read_from_hex_or_base64(string key)
    {
        var settings = EvidenceSettings.Resolve(new EvidenceOptions { Path = Data, Key = key }, Environment("Production"), AppContext.BaseDirectory);
        settings.Key.Should().Equal(Convert.FromHexString("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"));
        settings.EphemeralKey.Should().BeFalse();
    }

    [Theory]
    [InlineData("too-short")]
    [InlineData("0123456789abcdef0123456789abcdef")]
    public void A_key_that_is_not_32_bytes_is_refused(string key)
    {
        var act = () => EvidenceSettings.Resolve(new EvidenceOptions { Path = Data, Key = key }, Environment("Production"), AppContext.BaseDirectory);
        act.Should().Throw<InvalidOperationException>().WithMessage("*32 bytes*");
    }

    [Fact]
    public void An_evidence_folder_inside_the_build_output_is_refused()
    {
        var act = () => EvidenceSettings.Resolve(new EvidenceOptions { Path = Path.Combine(AppContext.BaseDirectory, ".evidence"), Key = Key },
            Environment("Production"), AppContext.BaseDirectory);
        act.Should().Throw<InvalidOperationException>().WithMessage("*build output*");
    }

    [Fact]
    public void An_evidence_folder_inside_the_content_root_is_refused()
    {
        var environment = Environment("Production");
        var act = () => EvidenceSettings.Resolve(new EvidenceOptions { Path = ".evidence", Key = Key }, environment, AppContext.BaseDirectory);
        act.Should().Throw<InvalidOperationException>().WithMessage($"*{environment.ContentRootPath}*");
    }

    [Fact]
    public void Without_a_configured_folder_evidence_goes_to_the_users_data_folder_not_the_build_output()
    {
        var settings = EvidenceSettings.Resolve(new EvidenceOptions { Key = Key }, Environment("Production"), AppContext.BaseDirectory);
        settings.Folder.Should().StartWith(System.Environment.GetFolderPath(System.Environment.SpecialFolder.LocalApplicationData))
            .And.EndWith(Path.Combine("trust-platform", "evidence"));
    }

    [Fact]
    public async Task The_service_refuses_to_start_outside_development_without_an_evidence_key()
    {
        await using var servers = await TestServers.CreateAsync("incnokey");
        await using var service = new ServiceFactory<IncidentsService>(servers, new Dictionary<string, string?>
        {
            ["environment"] = "Production",
            ["Evidence:Key"] = "",
            // Production refuses the platform clock override first; this test is about the evidence key.
            ["Clock:Now"] = "",
        });
        var act = () => service.Server;
        act.Should().Throw<Microsoft.Extensions.Options.OptionsValidationException>().WithMessage("*Evidence:Key*");
    }
}
