using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.TestSupport;

namespace Trust.Platform.Policy.Tests;

/// <summary>No school's document goes out with "[not set]" where a seed names a person or a provider (000 lines 84-86).</summary>
[Collection(PolicyCollection.Name)]
public sealed class DocumentPreviewTests(PolicyFixture fixture)
{
    private async Task<(Guid Trust, Guid School, Guid Other)> NewTrustAsync()
    {
        using var operatorClient = fixture.Policy.ClientFor(PolicyFixture.Operator);
        var trust = await PolicyFixture.CreateTrustAsync(operatorClient, "Previewing Trust");
        var school = await fixture.CreateSchoolAsync(trust, "Newbury School", "800001");
        var other = await fixture.CreateSchoolAsync(trust, "Brierley Hill Primary School", "800002");
        return (trust, school, other);
    }

    private static async Task<Guid> ApprovedVersionAsync(HttpClient admin)
    {
        var draft = await admin.PostAsJsonAsync("/v1/policy/versions", new { kind = "major", summary = "First trust-wide policy" });
        await Http.EnsureSuccessAsync(draft);
        var version = (await draft.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<Guid>();
        await Http.EnsureSuccessAsync(await admin.PostAsJsonAsync($"/v1/policy/versions/{version}/approve",
            new { approverName = "Chair of the Board of Trustees", approvingBody = "Board of Trustees", approvedOn = TestClock.Day(TestClock.Today) }));
        return version;
    }

    [Fact]
    public async Task The_preview_lists_each_schools_unset_values_by_section_and_is_publishable_once_they_are_set()
    {
        var (trust, school, other) = await NewTrustAsync();
        using var admin = fixture.Policy.ClientFor(fixture.TrustAdmin(trust));

        var before = (await admin.GetFromJsonAsync<JsonObject>("/v1/policy/documents/preview"))!;
        before["publishable"]!.GetValue<bool>().Should().BeFalse();
        var schools = before["schools"]!.AsArray();
        schools.Select(s => s!["schoolId"]!.GetValue<Guid>()).Should().BeEquivalentTo([school, other], "only this trust's schools");
        var unset = schools.Single(s => s!["schoolId"]!.GetValue<Guid>() == school)!["unset"]!.AsArray()
            .Select(u => (u!["sectionId"]!.GetValue<string>(), u["key"]!.GetValue<string>())).ToList();
        unset.Should().Contain(("control", "document.owner")).And.Contain(("control", "review.next_review_date"))
            .And.Contain(("review", "review.next_review_date"), "000 line 203 names the next review date in the body too");
        schools[0]!["markdown"]!.GetValue<string>().Should().Contain(@"\[not set\]", "the preview shows the document as it would render");
        before["trust"]!["unset"]!.AsArray().Select(u => u!["key"]!.GetValue<string>()).Should()
            .Contain("roles.chair", "002: concerns about the headteacher go to the chair").And.Contain("roles.marketing_officer");

        await PolicyFixture.CompleteDocumentsAsync(admin);

        var after = (await admin.GetFromJsonAsync<JsonObject>("/v1/policy/documents/preview"))!;
        after["publishable"]!.GetValue<bool>().Should().BeTrue();
        after["schools"]!.AsArray().Should().AllSatisfy(s => s!["unset"]!.AsArray().Should().BeEmpty());
        after["trust"]!["unset"]!.AsArray().Should().BeEmpty();
        after["trust"]!["markdown"]!.GetValue<string>().Should().NotContain("not set");
        after["schools"]!.AsArray().Should().AllSatisfy(s => s!["markdown"]!.GetValue<string>().Should().NotContain("not set"));
    }

    [Fact]
    public async Task Publishing_is_refused_naming_the_school_section_and_setting_while_a_document_would_render_unset()
    {
        var (trust, school, other) = await NewTrustAsync();
        using var admin = fixture.Policy.ClientFor(fixture.TrustAdmin(trust));
        await PolicyFixture.CompleteDocumentsAsync(admin);
        // One school sets its own next review date to none: only its document would print it unset.
        using var head = fixture.Policy.ClientFor(fixture.InSchool(Roles.Headteacher, trust, school));
        await PolicyFixture.PutAsync(head, $"/v1/schools/{school}/policy/overrides/review.next_review_date", new JsonObject { ["value"] = null });
        var version = await ApprovedVersionAsync(admin);

        var refused = await admin.PostAsync($"/v1/policy/versions/{version}/publish", null);

        refused.StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity);
        var problem = (await refused.Content.ReadFromJsonAsync<JsonObject>())!;
        problem["rule"]!.GetValue<string>().Should().Be("nothing-unset");
        var errors = problem["errors"]!.AsObject();
        errors.Select(e => e.Key).Should().BeEquivalentTo([$"schools/{school}/sections/control", $"schools/{school}/sections/review"]);
        errors[$"schools/{school}/sections/review"]!.AsArray()[0]!.GetValue<string>().Should().Contain("Newbury School").And.Contain("review.next_review_date");
        errors.ToJsonString().Should().NotContain(other.ToString(), "the other school's document is complete");
        (await admin.GetFromJsonAsync<JsonArray>("/v1/policy/versions"))!.Single()!["status"]!.GetValue<string>().Should().Be("approved", "nothing was published");
        (await head.GetStringAsync($"/v1/schools/{school}/policy/document")).Should().Contain("Not yet published");

        await PolicyFixture.PutAsync(head, $"/v1/schools/{school}/policy/overrides/review.next_review_date", new JsonObject { ["value"] = TestClock.Day(TestClock.Today.AddMonths(3)) });
        (await admin.PostAsync($"/v1/policy/versions/{version}/publish", null)).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_placeholder_in_a_schools_amended_section_counts_and_an_amendment_without_it_does_not()
    {
        var (trust, school, _) = await NewTrustAsync();
        using var admin = fixture.Policy.ClientFor(fixture.TrustAdmin(trust));
        await PolicyFixture.CompleteDocumentsAsync(admin);
        using var head = fixture.Policy.ClientFor(fixture.InSchool(Roles.Headteacher, trust, school));
        // The school's own "none" for the provider: a value the trust allows (the rule is free) that prints unset.
        await PolicyFixture.PutAsync(head, $"/v1/schools/{school}/policy/overrides/roles.filtering_provider", new JsonObject { ["value"] = null });
        async Task AmendAsync(string text)
        {
            var etag = (await head.GetAsync($"/v1/schools/{school}/policy/overrides")).Headers.ETag!;
            using var request = new HttpRequestMessage(HttpMethod.Put, $"/v1/schools/{school}/policy/sections/legal-considerations") { Content = JsonContent.Create(new { markdown = text }) };
            request.Headers.IfMatch.Add(etag);
            await Http.EnsureSuccessAsync(await head.SendAsync(request));
        }

        async Task<List<string>> UnsetSectionsAsync()
        {
            var preview = (await admin.GetFromJsonAsync<JsonObject>("/v1/policy/documents/preview"))!;
            return preview["schools"]!.AsArray().Single(s => s!["schoolId"]!.GetValue<Guid>() == school)!["unset"]!.AsArray()
                .Where(u => u!["key"]!.GetValue<string>() == "roles.filtering_provider").Select(u => u!["sectionId"]!.GetValue<string>()).ToList();
        }

        await AmendAsync("- Our filtering provider is {{roles.filtering_provider}}.");
        (await UnsetSectionsAsync()).Should().Equal(["legal-considerations"], "the trust's own line for the provider is optional and left out");

        await AmendAsync("- Our own legal text.");
        (await UnsetSectionsAsync()).Should().BeEmpty();
    }

    [Fact]
    public async Task A_minor_versions_document_shows_the_approval_of_its_major_version_and_nothing_unset()
    {
        var (trust, school, _) = await NewTrustAsync();
        using var admin = fixture.Policy.ClientFor(fixture.TrustAdmin(trust));
        await PolicyFixture.CompleteDocumentsAsync(admin);
        await Http.EnsureSuccessAsync(await admin.PostAsync($"/v1/policy/versions/{await ApprovedVersionAsync(admin)}/publish", null));
        var minor = await admin.PostAsJsonAsync("/v1/policy/versions", new { kind = "minor", summary = "Wording" });
        await Http.EnsureSuccessAsync(minor);
        await Http.EnsureSuccessAsync(await admin.PostAsync($"/v1/policy/versions/{(await minor.Content.ReadFromJsonAsync<JsonObject>())!["id"]}/publish", null));

        var document = await admin.GetStringAsync($"/v1/schools/{school}/policy/document");

        document.Should().Contain("| Version and date | 1.1, ").And.Contain("| Approved by | Board of Trustees (Chair of the Board of Trustees) |")
            .And.Contain($"| Approval date | {TestClock.Today.ToString("d MMMM yyyy", System.Globalization.CultureInfo.GetCultureInfo("en-GB"))} |")
            .And.NotContain("not set").And.NotContain("not yet approved");
    }
}
