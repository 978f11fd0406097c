using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Trust.Platform.Contracts;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.TestSupport;

namespace Trust.Platform.Training.Tests;

/// <summary>Paper acknowledgements: a signed sheet recorded by a headteacher or a key, its scan kept as evidence with its SHA-256.</summary>
public sealed class AcknowledgementSheetTests(ReplicaServiceHost<TrainingService> host) : IClassFixture<ReplicaServiceHost<TrainingService>>
{
    private static readonly byte[] Pdf = "%PDF-1.4\n% signed sheet: Computing Lead, IT technician, SBM\n%%EOF\n"u8.ToArray();

    public static MultipartFormDataContent Sheet(byte[] bytes, string type, string? misIds = null, string? personIds = null)
    {
        var content = new MultipartFormDataContent();
        var file = new ByteArrayContent(bytes);
        file.Headers.ContentType = new MediaTypeHeaderValue(type);
        content.Add(file, "file", "sheet.pdf");
        if (misIds is not null)
        {
            content.Add(new StringContent(misIds), "misIds");
        }

        if (personIds is not null)
        {
            content.Add(new StringContent(personIds), "personIds");
        }

        return content;
    }

    private async Task<(Guid School, PolicyPublished Published, Dictionary<string, Guid> People)> SchoolAsync(string prefix)
    {
        var school = await host.NewSchoolAsync();
        var published = PolicyKit.Published(host.Trust, school, "1.0", major: true);
        await host.PublishPolicyAsync(published);
        using var admin = host.AdminClient();
        await admin.SyncAsync(school, [TrainingKit.Row(prefix + "-1"), TrainingKit.Row(prefix + "-2"), TrainingKit.Row(prefix + "-3")]);
        var people = new Dictionary<string, Guid>();
        foreach (var n in new[] { "1", "2", "3" })
        {
            people[n] = await host.PersonIdAsync(school, prefix + "-" + n);
        }

        return (school, published, people);
    }

    private async Task<JsonElement> AcknowledgementOfAsync(HttpClient client, Guid school, Guid person) =>
        (await client.GetJsonAsync($"/v1/schools/{school}/people/{person}/acknowledgements")).GetProperty("items")[0];

    [Fact]
    public async Task A_signed_sheet_records_paper_acknowledgements_and_keeps_a_persons_own()
    {
        var (school, published, p) = await SchoolAsync("SH1");
        using var self = host.SelfClient(school, p["1"]);
        await Http.EnsureSuccessAsync(await self.PostAsJsonAsync($"/v1/schools/{school}/people/{p["1"]}/acknowledgements", new { policyVersionId = published.PolicyVersionId }));
        using var head = host.Service.ClientFor(new DevUser("head-sh1", "Head", host.Trust, [$"{Roles.Headteacher}:{school}"]));

        using var content = Sheet(Pdf, "application/pdf", misIds: "SH1-1, SH1-2", personIds: p["3"].ToString());
        var response = await head.PostAsync($"/v1/schools/{school}/acknowledgement-sheets", content);

        response.StatusCode.Should().Be(HttpStatusCode.Created);
        var sheet = await response.Content.ReadFromJsonAsync<JsonElement>();
        var sheetId = sheet.GetProperty("id").GetGuid();
        sheet.GetProperty("sha256").GetString().Should().Be(Convert.ToHexStringLower(SHA256.HashData(Pdf)));
        sheet.GetProperty("policyVersionId").GetGuid().Should().Be(published.PolicyVersionId);
        sheet.GetProperty("acknowledged").EnumerateArray().Select(e => e.GetGuid()).Should().BeEquivalentTo([p["2"], p["3"]]);
        sheet.GetProperty("alreadyAcknowledged").EnumerateArray().Select(e => e.GetGuid()).Should().Equal(p["1"]);

        using var admin = host.AdminClient();
        var own = await AcknowledgementOfAsync(admin, school, p["1"]);
        own.GetProperty("method").GetString().Should().Be("self");
        own.GetProperty("sheetId").ValueKind.Should().Be(JsonValueKind.Null);
        var paper = await AcknowledgementOfAsync(admin, school, p["2"]);
        paper.GetProperty("method").GetString().Should().Be("paper_sheet");
        paper.GetProperty("sheetId").GetGuid().Should().Be(sheetId);
        paper.GetProperty("recordedBy").GetString().Should().Be("user:head-sh1");
        paper.GetProperty("statements").GetArrayLength().Should().BeGreaterThan(0);
        (await host.EventsAsync<PolicyAcknowledged>(school)).Should().Be(3);
        (await admin.RequirementsAsync(school, p["2"]))["policy_acknowledgement"].GetProperty("status").GetString().Should().Be("done");
    }

    [Fact]
    public async Task The_sheet_comes_back_byte_for_byte_with_its_hash_for_the_headteacher_only()
    {
        var (school, _, _) = await SchoolAsync("SH2");
        using var admin = host.AdminClient();
        using var content = Sheet(Pdf, "application/pdf", misIds: "SH2-1");
        var sheet = await (await admin.PostAsync($"/v1/schools/{school}/acknowledgement-sheets", content)).Content.ReadFromJsonAsync<JsonElement>();
        var path = $"/v1/schools/{school}/acknowledgement-sheets/{sheet.GetProperty("id").GetGuid()}";
        using var head = host.Service.ClientFor(new DevUser("head-sh2", "Head", host.Trust, [$"{Roles.Headteacher}:{school}"]));
        using var dsl = host.Service.ClientFor(new DevUser("dsl-sh2", "DSL", host.Trust, [$"{Roles.Dsl}:{school}"]));
        var other = await host.NewSchoolAsync();

        var download = await head.GetAsync(path);

        download.StatusCode.Should().Be(HttpStatusCode.OK);
        download.Content.Headers.ContentType!.MediaType.Should().Be("application/pdf");
        (await download.Content.ReadAsByteArrayAsync()).Should().Equal(Pdf);
        download.Headers.GetValues("X-Sheet-Sha256").Single().Should().Be(Convert.ToHexStringLower(SHA256.HashData(Pdf)));
        (await dsl.GetAsync(path)).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await admin.GetAsync($"/v1/schools/{other}/acknowledgement-sheets/{sheet.GetProperty("id").GetGuid()}")).StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Recording_the_same_sheet_again_adds_nothing_and_answers_the_first_sheet()
    {
        var (school, _, _) = await SchoolAsync("SH3");
        using var admin = host.AdminClient();

        using var first = Sheet(Pdf, "application/pdf", misIds: "SH3-1,SH3-2");
        var once = await admin.PostAsync($"/v1/schools/{school}/acknowledgement-sheets", first);
        using var second = Sheet(Pdf, "application/pdf", misIds: "SH3-1,SH3-2");
        var twice = await admin.PostAsync($"/v1/schools/{school}/acknowledgement-sheets", second);

        once.StatusCode.Should().Be(HttpStatusCode.Created);
        twice.StatusCode.Should().Be(HttpStatusCode.OK);
        var again = await twice.Content.ReadFromJsonAsync<JsonElement>();
        again.GetProperty("id").GetGuid().Should().Be((await once.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid());
        again.GetProperty("acknowledged").GetArrayLength().Should().Be(0);
        (await host.ScalarAsync("SELECT count(*) FROM training.acknowledgements WHERE school_id = $1", school)).Should().Be(2);
        (await host.ScalarAsync("SELECT count(*) FROM training.acknowledgement_sheets WHERE school_id = $1", school)).Should().Be(1);
        (await host.EventsAsync<PolicyAcknowledged>(school)).Should().Be(2);
    }

    [Fact]
    public async Task Uploads_of_the_same_sheet_at_the_same_instant_record_it_once_and_both_answer_it()
    {
        var (school, _, _) = await SchoolAsync("SH6");
        using var admin = host.AdminClient();
        using var other = host.AdminClient();

        for (var round = 0; round < 3; round++)
        {
            var bytes = Pdf.Concat(System.Text.Encoding.ASCII.GetBytes($"% round {round}\n")).ToArray();
            using var first = Sheet(bytes, "application/pdf", misIds: "SH6-1,SH6-2");
            using var second = Sheet(bytes, "application/pdf", misIds: "SH6-1,SH6-2");
            var answers = await Task.WhenAll(
                admin.PostAsync($"/v1/schools/{school}/acknowledgement-sheets", first), other.PostAsync($"/v1/schools/{school}/acknowledgement-sheets", second));
            answers.Select(a => a.StatusCode).Should().BeEquivalentTo([HttpStatusCode.Created, HttpStatusCode.OK],
                "one upload records the sheet and the other finds it, never a 500");
        }

        (await host.ScalarAsync("SELECT count(*) FROM training.acknowledgement_sheets WHERE school_id = $1", school)).Should().Be(3);
        (await host.ScalarAsync("SELECT count(*) FROM training.acknowledgements WHERE school_id = $1", school)).Should().Be(2);
    }

    [Fact]
    public async Task A_scan_whose_bytes_are_not_its_declared_type_is_refused_and_nothing_is_recorded()
    {
        var (school, _, _) = await SchoolAsync("SH4");
        using var admin = host.AdminClient();

        using var content = Sheet(Pdf, "image/png", misIds: "SH4-1");
        var response = await admin.PostAsync($"/v1/schools/{school}/acknowledgement-sheets", content);

        response.StatusCode.Should().Be(HttpStatusCode.UnsupportedMediaType);
        (await host.ScalarAsync("SELECT count(*) FROM training.acknowledgements WHERE school_id = $1", school)).Should().Be(0);
    }

    [Fact]
    public async Task A_sheet_naming_someone_of_another_school_is_refused_whole_naming_the_field()
    {
        var (school, _, _) = await SchoolAsync("SH5");
        var (_, _, elsewhere) = await SchoolAsync("SH6");
        using var admin = host.AdminClient();

        using var content = Sheet(Pdf, "application/pdf", misIds: "SH5-1", personIds: elsewhere["1"].ToString());
        var response = await admin.PostAsync($"/v1/schools/{school}/acknowledgement-sheets", content);

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await response.Content.ReadAsStringAsync()).Should().Contain("personIds").And.Contain(elsewhere["1"].ToString());
        (await host.ScalarAsync("SELECT count(*) FROM training.acknowledgements WHERE school_id = $1", school)).Should().Be(0);
        (await host.ScalarAsync("SELECT count(*) FROM training.acknowledgement_sheets WHERE school_id = $1", school)).Should().Be(0);
    }
}
