using System.Net;
using System.Text.Json;
using FluentAssertions;
using Trust.Platform.Hosting.Auth;

namespace Trust.Platform.TestSupport;

/// <summary>What every service's subject access log must show after an export (platform migration 0018), checked one way.</summary>
public static class SubjectAccessLogCheck
{
    /// <summary>The school's log, read by <paramref name="reader"/>: every entry, oldest first.</summary>
    public static async Task<IReadOnlyList<JsonElement>> EntriesAsync(HttpClient reader, Guid school)
    {
        using var response = await reader.GetAsync($"/v1/schools/{school}/subject-access/log?limit=200");
        await Http.EnsureSuccessAsync(response);
        using var page = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return page.RootElement.GetProperty("items").EnumerateArray().Select(e => e.Clone()).ToList();
    }

    /// <summary>
    /// The school's log holds exactly the exports made about these subjects: one entry per answered request, naming the subject
    /// by the id the request gave, the requester as records name an actor, the role they asked as and how many records went out
    /// (other tests' exports at a shared school are about other subjects, and are left out).
    /// </summary>
    public static async Task ShouldHoldAsync(HttpClient reader, Guid school, params (string Kind, string Reference, DevUser By, string As, int Records)[] exports)
    {
        var subjects = exports.Select(x => x.Reference).ToHashSet(StringComparer.Ordinal);
        var entries = (await EntriesAsync(reader, school)).Where(e => subjects.Contains(e.GetProperty("subjectRef").GetString()!)).ToList();
        entries.Select(e => (
                e.GetProperty("subjectKind").GetString(), e.GetProperty("subjectRef").GetString(), e.GetProperty("requestedBy").GetString(),
                e.GetProperty("requestedAs").GetString(), e.GetProperty("records").GetInt32(), e.GetProperty("schoolId").GetGuid()))
            .Should().Equal(exports.Select(x => ((string?)x.Kind, (string?)x.Reference, (string?)ActorOf(x.By), (string?)x.As, x.Records, school)));
        entries.Should().OnlyContain(e => e.GetProperty("requestedAt").GetDateTimeOffset() != default);
    }

    /// <summary>A request that was refused exported nothing, so the school's log holds nothing about its subject.</summary>
    public static async Task ShouldHoldNothingAboutAsync(HttpClient reader, Guid school, string reference) =>
        (await EntriesAsync(reader, school)).Should().NotContain(e => e.GetProperty("subjectRef").GetString() == reference);

    /// <summary>Another school's reader meets a 404, as for the export itself.</summary>
    public static async Task ShouldBeHiddenFromAsync(HttpClient reader, Guid school)
    {
        using var response = await reader.GetAsync($"/v1/schools/{school}/subject-access/log");
        response.StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    private static string ActorOf(DevUser user) => user.StaffId is { } staff ? $"staff:{staff}" : $"user:{user.Subject}";
}
