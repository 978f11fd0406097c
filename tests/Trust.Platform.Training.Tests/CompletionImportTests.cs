using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Trust.Platform.Contracts;
using Trust.Platform.TestSupport;

namespace Trust.Platform.Training.Tests;

/// <summary>Bulk import of completions: recorded as one at a time would be, idempotent by (person, course, day), bad rows reported by row and field.</summary>
public sealed class CompletionImportTests(ReplicaServiceHost<TrainingService> host) : IClassFixture<ReplicaServiceHost<TrainingService>>
{
    private static DateOnly Today => TestClock.Today;

    private static string Date(DateOnly d) => d.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    private async Task<Guid> SchoolWithAsync(params string[] misIds)
    {
        var school = await host.NewSchoolAsync();
        using var admin = host.AdminClient();
        await admin.SyncAsync(school, misIds.Select(m => TrainingKit.Row(m, start: Date(Today.AddDays(-40)))));
        return school;
    }

    private static async Task<JsonElement> ImportAsync(HttpClient client, Guid school, object body)
    {
        var response = await client.PostAsJsonAsync($"/v1/schools/{school}/completions/import", body);
        await Http.EnsureSuccessAsync(response);
        response.StatusCode.Should().Be(HttpStatusCode.Created);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private static async Task<JsonElement> ImportCsvAsync(HttpClient client, Guid school, string csv)
    {
        using var content = new StringContent(csv, Encoding.UTF8, "text/csv");
        var response = await client.PostAsync($"/v1/schools/{school}/completions/import", content);
        await Http.EnsureSuccessAsync(response);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private static IEnumerable<(int Row, string Field, string Reason)> Errors(JsonElement job) =>
        job.GetProperty("errors").EnumerateArray().Select(e => (e.GetProperty("row").GetInt32(), e.GetProperty("field").GetString()!, e.GetProperty("reason").GetString()!));

    [Fact]
    public async Task An_imported_completion_expires_counts_and_is_announced_as_one_recorded_alone()
    {
        var school = await SchoolWithAsync("IM-1", "IM-2");
        await host.CourseAsync("social_media_policy");
        var code = "first_aid_" + Guid.NewGuid().ToString("N")[..8];
        var course = await host.CourseAsync(code, validityMonths: 24);
        using var admin = host.AdminClient();
        var on = Today.AddDays(-3);

        var job = await ImportAsync(admin, school, new
        {
            completions = new object[]
            {
                new { misId = "IM-1", courseCode = "social_media_policy", completedOn = Date(on), provider = "National College" },
                new { misId = "IM-2", courseId = course.ToString(), completedOn = Date(on), provider = "St John Ambulance", evidenceReference = "SJA-1", score = 88.5 },
            },
        });

        job.GetProperty("status").GetString().Should().Be("succeeded");
        job.GetProperty("recorded").GetInt32().Should().Be(2);
        var second = await host.PersonIdAsync(school, "IM-2");
        var completions = await admin.GetJsonAsync($"/v1/schools/{school}/people/{second}/completions");
        var recorded = completions.GetProperty("items")[0];
        recorded.GetProperty("courseCode").GetString().Should().Be(code);
        recorded.GetProperty("expiresOn").GetString().Should().Be(Date(on.AddMonths(24)));
        recorded.GetProperty("score").GetDecimal().Should().Be(88.5m);
        var first = await host.PersonIdAsync(school, "IM-1");
        (await admin.RequirementsAsync(school, first))["induction"].GetProperty("status").GetString().Should().Be("done");
        (await host.EventsAsync<TrainingCompleted>(school)).Should().Be(2);
        var read = await admin.GetJsonAsync($"/v1/schools/{school}/completions/jobs/{job.GetProperty("id").GetGuid()}");
        read.GetProperty("recorded").GetInt32().Should().Be(2);
    }

    [Fact]
    public async Task The_people_summary_kept_by_the_insert_trigger_equals_a_fresh_count_after_imports_older_and_newer_than_what_is_on_record()
    {
        var school = await SchoolWithAsync("SUM-1", "SUM-2", "SUM-3");
        await host.CourseAsync("social_media_policy");
        await host.CourseAsync("at_risk_pupils", validityMonths: 12);
        using var admin = host.AdminClient();
        object Row(string mis, string course, int daysAgo) => new { misId = mis, courseCode = course, completedOn = Date(Today.AddDays(-daysAgo)), provider = "National College" };

        await ImportAsync(admin, school, new { completions = new[] { Row("SUM-1", "social_media_policy", 10), Row("SUM-2", "at_risk_pupils", 20) } });
        // Older than what is on record (nothing may move back), newer (it moves on), a person's first, and two courses in one file.
        await ImportAsync(admin, school, new
        {
            completions = new[]
            {
                Row("SUM-1", "social_media_policy", 30), Row("SUM-2", "at_risk_pupils", 5), Row("SUM-2", "social_media_policy", 7), Row("SUM-3", "at_risk_pupils", 1),
            },
        });

        var drift = await host.ScalarAsync("""
            SELECT count(*) FROM training.people p
            WHERE p.school_id = $1 AND (p.sm_last_completed_on, p.ar_last_completed_on, p.ar_valid_until) IS DISTINCT FROM (
                (SELECT max(c.completed_on) FROM training.completions c WHERE c.trust_id = p.trust_id AND c.person_id = p.id AND c.course_code = 'social_media_policy'),
                (SELECT max(c.completed_on) FROM training.completions c WHERE c.trust_id = p.trust_id AND c.person_id = p.id AND c.course_code = 'at_risk_pupils'),
                (SELECT max(coalesce(c.expires_on, 'infinity'::date)) FROM training.completions c WHERE c.trust_id = p.trust_id AND c.person_id = p.id AND c.course_code = 'at_risk_pupils'))
            """, school);
        drift.Should().Be(0, "every person's summary is what their completions say");
        (await host.ScalarAsync("SELECT count(*) FROM training.people WHERE school_id = $1 AND sm_last_completed_on = $2", school, Today.AddDays(-10)))
            .Should().Be(1, "an older import does not move SUM-1's latest back");
    }

    [Fact]
    public async Task Importing_the_same_csv_twice_records_it_once()
    {
        var school = await SchoolWithAsync("TW-1", "TW-2");
        await host.CourseAsync("social_media_policy");
        using var admin = host.AdminClient();
        var csv = "mis_id,course_code,completed_on,provider,evidence_reference,score\r\n" +
                  $"TW-1,social_media_policy,{Date(Today.AddDays(-5))},National College,NC-1,90\r\n" +
                  $"TW-2,social_media_policy,{Date(Today.AddDays(-4))},\"National College, online\",,\r\n";

        var once = await ImportCsvAsync(admin, school, csv);
        var twice = await ImportCsvAsync(admin, school, csv);

        once.GetProperty("recorded").GetInt32().Should().Be(2);
        once.GetProperty("format").GetString().Should().Be("csv");
        twice.GetProperty("recorded").GetInt32().Should().Be(0);
        twice.GetProperty("unchanged").GetInt32().Should().Be(2);
        twice.GetProperty("status").GetString().Should().Be("succeeded");
        (await host.ScalarAsync("SELECT count(*) FROM training.completions WHERE school_id = $1", school)).Should().Be(2);
        (await host.EventsAsync<TrainingCompleted>(school)).Should().Be(2);
    }

    [Fact]
    public async Task Bad_rows_are_reported_by_row_and_field_and_the_good_rows_are_applied()
    {
        var school = await SchoolWithAsync("RE-1", "RE-2");
        var other = await SchoolWithAsync("RE-OTHER");
        await host.CourseAsync("social_media_policy");
        using var admin = host.AdminClient();
        var day = Date(Today.AddDays(-1));

        var job = await ImportAsync(admin, school, new
        {
            completions = new object[]
            {
                new { misId = "RE-1", courseCode = "social_media_policy", completedOn = day, provider = "NC" },
                new { misId = "RE-OTHER", courseCode = "social_media_policy", completedOn = day, provider = "NC" },
                new { misId = "RE-2", courseCode = "social_media_policy", completedOn = "01/09/2026", provider = "NC" },
                new { misId = "RE-2", courseCode = "social_media_policy", completedOn = Date(Today.AddDays(2)), provider = "NC" },
                new { misId = "RE-2", courseCode = "no_such_course", completedOn = day, provider = "NC" },
                new { misId = "RE-2", courseCode = "social_media_policy", completedOn = day, provider = "" },
                new { misId = "RE-1", courseCode = "social_media_policy", completedOn = day, provider = "NC again" },
                new { courseCode = "social_media_policy", completedOn = day, provider = "NC" },
                new { misId = "RE-2", courseCode = "social_media_policy", completedOn = day, provider = "NC", score = 101 },
            },
        });

        job.GetProperty("status").GetString().Should().Be("succeeded_with_errors");
        job.GetProperty("total").GetInt32().Should().Be(9);
        job.GetProperty("recorded").GetInt32().Should().Be(1);
        job.GetProperty("rejected").GetInt32().Should().Be(8);
        Errors(job).Should().Equal(
            (2, "misId", "Not a person on this school's roster."),
            (3, "completedOn", "Required: a date as yyyy-MM-dd."),
            (4, "completedOn", "Must not be in the future."),
            (5, "courseCode", "Not a course of this trust."),
            (6, "provider", "Required."),
            (7, "completedOn", "Duplicate of row 1: the same person, course and day."),
            (8, "misId", "Exactly one of misId or personId is required."),
            (9, "score", "Between 0 and 100."));
        (await host.ScalarAsync("SELECT count(*) FROM training.completions WHERE school_id = $1", school)).Should().Be(1);
        (await host.ScalarAsync("SELECT count(*) FROM training.completions WHERE school_id = $1", other)).Should().Be(0);
    }

    [Theory]
    [InlineData("""{"completions": null}""")]
    [InlineData("""{}""")]
    public async Task A_json_body_without_its_completions_is_refused_naming_the_field_not_a_500(string body)
    {
        var school = await SchoolWithAsync("NULL-1");
        using var admin = host.AdminClient();

        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        var response = await admin.PostAsync($"/v1/schools/{school}/completions/import", content);

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await response.Content.ReadAsStringAsync()).Should().Contain("completions");
    }

    [Fact]
    public async Task A_csv_without_a_required_column_or_more_than_10000_rows_is_refused_whole()
    {
        var school = await SchoolWithAsync("BIG-1");
        using var admin = host.AdminClient();

        using var noProvider = new StringContent("mis_id,course_code,completed_on\r\nBIG-1,x,2026-01-01\r\n", Encoding.UTF8, "text/csv");
        var missing = await admin.PostAsync($"/v1/schools/{school}/completions/import", noProvider);
        var rows = Enumerable.Range(0, 10_001).Select(_ => new { misId = "BIG-1", courseCode = "x", completedOn = "2026-01-01", provider = "p" });
        var tooMany = await admin.PostAsJsonAsync($"/v1/schools/{school}/completions/import", new { completions = rows });

        missing.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await missing.Content.ReadAsStringAsync()).Should().Contain("provider");
        tooMany.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await tooMany.Content.ReadAsStringAsync()).Should().Contain("completions");
        (await host.ScalarAsync("SELECT count(*) FROM training.roster_jobs WHERE school_id = $1 AND kind = 'completions'", school)).Should().Be(0);
    }

    [Fact]
    public async Task A_completion_import_is_not_a_roster_job_and_another_schools_import_is_not_found()
    {
        var school = await SchoolWithAsync("JB-1");
        var other = await host.NewSchoolAsync();
        using var admin = host.AdminClient();
        var job = (await ImportAsync(admin, school, new { completions = Array.Empty<object>() })).GetProperty("id").GetGuid();

        (await admin.GetAsync($"/v1/schools/{school}/roster/jobs/{job}")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await admin.GetAsync($"/v1/schools/{other}/completions/jobs/{job}")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await admin.GetAsync($"/v1/schools/{school}/completions/jobs/{job}")).StatusCode.Should().Be(HttpStatusCode.OK);
    }
}
