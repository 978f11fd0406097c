using System.Globalization;
using System.Net;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Hosting.Time;
using Trust.Platform.TestSupport;

namespace Trust.Platform.Policy.Tests;

/// <summary>
/// A service on a shifted clock (Clock:Now, docs/adr/0007) validates tokens by that clock: the tokens it mints work on it,
/// and a token is judged by the clock of the service that receives it, never by the machine's.
/// </summary>
public sealed class PlatformClockTests : IAsyncLifetime
{
    private TestServers _servers = null!;
    private ServiceFactory<PolicyService> _onRunClock = null!;
    private ServiceFactory<PolicyService> _twoYearsLater = null!;

    private static readonly DevUser Admin = new("clock-admin", "Admin", Guid.CreateVersion7(), [Roles.TrustAdmin]);

    public async Task InitializeAsync()
    {
        _servers = await TestServers.CreateAsync("clock");
        _onRunClock = new ServiceFactory<PolicyService>(_servers);
        _twoYearsLater = new ServiceFactory<PolicyService>(_servers, new Dictionary<string, string?>
        {
            [PlatformClock.NowKey] = TestClock.Now.AddYears(2).ToString("O", CultureInfo.InvariantCulture),
            [PlatformClock.AnchorKey] = TimeProvider.System.GetUtcNow().ToString("O", CultureInfo.InvariantCulture),
        });
    }

    private static async Task<HttpStatusCode> ReadSchoolsAsync(ServiceFactory<PolicyService> service, string token)
    {
        using var client = service.CreateClient();
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        return (await client.GetAsync("/v1/schools")).StatusCode;
    }

    [Fact]
    public async Task A_token_minted_on_a_shifted_clock_is_valid_on_that_clock_and_nowhere_two_years_apart()
    {
        var shiftedToken = _twoYearsLater.Token(Admin);
        var runToken = _onRunClock.Token(Admin);

        (await ReadSchoolsAsync(_twoYearsLater, shiftedToken)).Should().Be(HttpStatusCode.OK, "the service's own clock minted it");
        (await ReadSchoolsAsync(_onRunClock, runToken)).Should().Be(HttpStatusCode.OK);
        (await ReadSchoolsAsync(_onRunClock, shiftedToken)).Should().Be(HttpStatusCode.Unauthorized, "on this clock it is not valid for two years");
        (await ReadSchoolsAsync(_twoYearsLater, runToken)).Should().Be(HttpStatusCode.Unauthorized, "two years later a 12-hour token has expired");
    }

    [Fact]
    public void The_services_under_test_and_the_test_code_read_the_runs_clock()
    {
        var service = _onRunClock.Services.GetRequiredService<TimeProvider>().GetUtcNow();

        service.Should().BeCloseTo(TestClock.Now, TimeSpan.FromSeconds(2), "every host is given the test process's clock");
        if (Environment.GetEnvironmentVariable("Clock__Now") is { Length: > 0 } fixedAt)
        {
            TestClock.Now.Should().BeOnOrAfter(PlatformClock.ParseInstant(PlatformClock.NowKey, fixedAt))
                .And.BeCloseTo(PlatformClock.ParseInstant(PlatformClock.NowKey, fixedAt), TimeSpan.FromHours(1), "the run fixed the clock at Clock__Now");
        }
        else
        {
            TestClock.Now.Should().BeCloseTo(TimeProvider.System.GetUtcNow(), TimeSpan.FromSeconds(2));
        }
    }

    public async Task DisposeAsync()
    {
        await _twoYearsLater.DisposeAsync();
        await _onRunClock.DisposeAsync();
        await _servers.DisposeAsync();
    }
}
