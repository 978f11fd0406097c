using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using CsvHelper;
using Trust.Platform.Accounts.Features.Accounts.List;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.TestSupport;

namespace Trust.Platform.Accounts.Tests;

/// <summary>The register export (Accept: text/csv on GET /v1/accounts): the school's and the trust's, never a credential.</summary>
public sealed class RegisterExportTests(ReplicaServiceHost<AccountsService> host) : IClassFixture<ReplicaServiceHost<AccountsService>>
{
    private const string Vault = "vault://export-test/instagram/never-in-the-csv";

    private readonly AccountsWorld _world = new(host);

    private static async Task<HttpResponseMessage> ExportAsync(HttpClient client, string query = "")
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/accounts" + query);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/csv"));
        return await client.SendAsync(request);
    }

    private static async Task<List<Dictionary<string, string>>> RowsAsync(HttpResponseMessage response)
    {
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.Should().Be("text/csv");
        using var reader = new CsvReader(new StringReader(await response.Content.ReadAsStringAsync()), CultureInfo.InvariantCulture);
        await reader.ReadAsync();
        reader.ReadHeader();
        reader.HeaderRecord.Should().Equal(RegisterCsv.Columns);
        var rows = new List<Dictionary<string, string>>();
        while (await reader.ReadAsync())
        {
            rows.Add(RegisterCsv.Columns.ToDictionary(c => c, c => reader.GetField(c)!));
        }

        return rows;
    }

    private async Task<(Guid School, Guid Account)> RotatedAccountAsync(string handle)
    {
        var school = await _world.NewSchoolAsync();
        var (_, account, administrators, _) = await _world.ApprovedAccountAsync(school, handle);
        using var mo = _world.Client(_world.MarketingOfficer(school));
        await Http.EnsureSuccessAsync(await mo.PostAsJsonAsync($"/v1/accounts/{account}/rotations",
            new { rotatedOn = TestClock.Today, vaultReference = Vault, credentialCustodian = administrators[1] }));
        return (school, account);
    }

    [Fact]
    public async Task A_headteacher_exports_the_schools_register_with_approvals_administrators_and_custodian_but_no_credential()
    {
        var (school, account) = await RotatedAccountAsync("ExportArtDept");
        using var head = _world.Client(_world.Head(school));

        var response = await ExportAsync(head);
        var text = await response.Content.ReadAsStringAsync();
        var rows = await RowsAsync(response);

        var row = rows.Should().ContainSingle().Subject;
        row["account_id"].Should().Be(account.ToString());
        row["school_id"].Should().Be(school.ToString());
        (row["platform"], row["handle"], row["url"], row["status"]).Should().Be(("instagram", "ExportArtDept", "https://instagram.com/ExportArtDept", "live"));
        row["purpose"].Should().StartWith("Celebrate pupils' art work");
        row["approvals"].Should().Be($"marketing_officer: Marketing on {TestClock.Day(TestClock.Today)}; headteacher: Head on {TestClock.Day(TestClock.Today)}");
        row["administrators"].Should().Be("Alex Brown (trained: yes); Sam Patel (trained: yes)");
        row["credential_custodian"].Should().Be("Sam Patel");
        row["last_rotated_on"].Should().Be(TestClock.Day(TestClock.Today));
        text.Should().NotContain("vault", "neither a credential nor the reference to where it is kept leaves the register");
        response.Content.Headers.ContentDisposition!.DispositionType.Should().Be("attachment");
    }

    [Fact]
    public async Task The_trusts_admin_exports_every_school_and_one_school_on_request()
    {
        var (first, firstAccount) = await RotatedAccountAsync("ExportTrustOne");
        var (_, secondAccount) = await RotatedAccountAsync("ExportTrustTwo");
        using var admin = _world.Client(_world.Admin);

        var all = (await RowsAsync(await ExportAsync(admin, "?limit=1"))).Select(r => r["account_id"]).ToList();
        all.Should().Contain([firstAccount.ToString(), secondAccount.ToString()], "the export is every matching account, not a page");
        (await RowsAsync(await ExportAsync(admin, $"?schoolId={first}"))).Select(r => r["account_id"]).Should().Equal(firstAccount.ToString());
    }

    [Fact]
    public async Task Staff_and_the_marketing_officer_get_403_for_the_export_and_an_accounts_key_gets_its_schools()
    {
        var (school, account) = await RotatedAccountAsync("ExportWhoMay");
        using var mo = _world.Client(_world.MarketingOfficer(school));
        using var staff = _world.Client(_world.Staff(school, Guid.CreateVersion7()));

        var refused = await ExportAsync(mo);
        refused.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await AccountsWorld.ProblemAsync(refused))["rule"]!.GetValue<string>().Should().Be("accounts.register_export");
        (await ExportAsync(staff)).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await mo.GetAsync("/v1/accounts")).StatusCode.Should().Be(HttpStatusCode.OK, "the JSON list stays theirs");

        var key = await host.IssueKeyAsync(host.Trust, [Scopes.AccountsRead], [school]);
        using var keyClient = host.Service.ClientWithKey(key);
        var exported = await Eventually.Until(() => ExportAsync(keyClient), r => r.StatusCode != HttpStatusCode.Unauthorized, TimeSpan.FromSeconds(60), "the key replicates (by event: a busy CI machine took more than 15 s)");
        (await RowsAsync(exported)).Select(r => r["account_id"]).Should().Equal(account.ToString());
        using var otherHead = _world.Client(_world.Head(await _world.NewSchoolAsync()));
        (await RowsAsync(await ExportAsync(otherHead))).Should().NotContain(r => r["account_id"] == account.ToString());
    }
}
