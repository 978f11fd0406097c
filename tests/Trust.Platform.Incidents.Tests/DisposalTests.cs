using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;
using Trust.Platform.Incidents.Features.Disposal;
using Trust.Platform.Incidents.Tests.Cases;
using Trust.Platform.TestSupport;
using static Trust.Platform.Incidents.Tests.IncidentsSeed;

namespace Trust.Platform.Incidents.Tests;

/// <summary>Disposal of cases past their retention date: rows, files, tombstone, legal hold, statistics, the removal sweep.</summary>
public sealed class DisposalTests(ReplicaServiceHost<IncidentsService> host) : IClassFixture<ReplicaServiceHost<IncidentsService>>
{
    private const string Summary = "A parent asks on the school page when the trip leaves";

    /// <summary>A closed case with one evidence file, whose retention date is set to yesterday (years would pass otherwise).</summary>
    private async Task<(Guid CaseId, string StorageKey)> ClosedCasePastRetentionAsync()
    {
        var id = await ReportAsync(host, Staff(host), AccountMessage(TestClock.Now.AddDays(-3)));
        using var head = host.Service.ClientFor(Head(host));
        using (var content = EvidenceFile(Png, "image/png"))
        {
            await Http.EnsureSuccessAsync(await head.PostAsync($"/v1/cases/{id}/evidence?fileName=shot.png", content));
        }

        await Http.EnsureSuccessAsync(await head.PostAsync($"/v1/cases/{id}/close", Json("""{"outcome": "resolved_internally", "significant": false}""")));
        await ScalarAsync<int>("UPDATE incidents.cases SET retention_until = $2 WHERE id = $1 RETURNING 1", id, TestClock.Today.AddDays(-1));
        var key = await ScalarAsync<string>("SELECT storage_key FROM incidents.evidence WHERE case_id = $1", id);
        File.Exists(StoredPath(key!)).Should().BeTrue();
        return (id, key!);
    }

    private static string StoredPath(string key) => Path.Combine(EvidenceFolder.Root, key[..2], key);

    /// <summary>A query as the owner (who bypasses row-level security), for what the API does not show.</summary>
    private async Task<T?> ScalarAsync<T>(string sql, params object[] values)
    {
        await using var owner = await OwnerAsync(host);
        await using var command = new NpgsqlCommand(sql, owner);
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }

        var result = await command.ExecuteScalarAsync();
        return result is null or DBNull ? default : (T)result;
    }

    private async Task<HttpResponseMessage> DisposeAsync(Guid id, string reason = "Retention period ended; reviewed by the DSL")
    {
        using var dsl = host.Service.ClientFor(Dsl(host));
        return await dsl.PostAsync($"/v1/cases/{id}/disposal", Json(JsonSerializer.Serialize(new { reason })));
    }

    [Fact]
    public async Task A_case_past_retention_with_no_hold_is_disposed_with_its_files_and_leaves_only_a_tombstone()
    {
        var (id, key) = await ClosedCasePastRetentionAsync();

        var response = await DisposeAsync(id);

        await Http.EnsureSuccessAsync(response);
        var tombstone = await response.Content.ReadFromJsonAsync<JsonElement>();
        tombstone.GetProperty("caseId").GetGuid().Should().Be(id);
        tombstone.GetProperty("type").GetString().Should().Be("account_message");
        tombstone.GetProperty("receivedMonth").GetString().Should().Be(TestClock.Now.AddDays(-3).ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture));
        tombstone.GetProperty("disposedBy").GetString().Should().Be("user:dsl");
        tombstone.GetProperty("reason").GetString().Should().Be("Retention period ended; reviewed by the DSL");
        tombstone.GetProperty("evidenceFiles").GetInt32().Should().Be(1);
        tombstone.GetRawText().Should().NotContain(Summary);

        File.Exists(StoredPath(key)).Should().BeFalse("the encrypted file is removed from the evidence folder");
        (await ScalarAsync<long>("SELECT count(*) FROM incidents.cases WHERE id = $1", id)).Should().Be(0);
        (await ScalarAsync<long>("SELECT count(*) FROM incidents.case_timeline WHERE case_id = $1", id)).Should().Be(0);
        (await ScalarAsync<long>("SELECT count(*) FROM incidents.evidence WHERE case_id = $1", id)).Should().Be(0);
        (await ScalarAsync<long>("SELECT count(*) FROM incidents.evidence_files_to_remove WHERE case_id = $1", id)).Should().Be(0);
        (await ScalarAsync<long>("SELECT count(*) FROM incidents.case_disposals WHERE case_id = $1", id)).Should().Be(1);
        (await ScalarAsync<long>("SELECT count(*) FROM incidents.case_audit WHERE case_id = $1 AND action = 'disposed' AND actor = 'user:dsl'", id)).Should().Be(1);

        using var dsl = host.Service.ClientFor(Dsl(host));
        (await dsl.GetAsync($"/v1/cases/{id}")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        var listed = await dsl.GetFromJsonAsync<JsonElement>($"/v1/schools/{host.School}/case-disposals?limit=200");
        listed.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("caseId").GetGuid()).Should().Contain(id);
        var audit = await dsl.GetFromJsonAsync<JsonElement>($"/v1/schools/{host.School}/case-audit?caseId={id}");
        audit.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("action").GetString()).Should().Contain("disposed");
    }

    [Fact]
    public async Task A_case_under_legal_hold_is_refused_with_409_and_kept_with_its_files()
    {
        var (id, key) = await ClosedCasePastRetentionAsync();
        using var dsl = host.Service.ClientFor(Dsl(host));
        var read = await dsl.GetAsync($"/v1/cases/{id}");
        using (var hold = new HttpRequestMessage(HttpMethod.Put, $"/v1/cases/{id}/legal-hold") { Content = Json("""{"hold": true, "reason": "Police investigation"}""") })
        {
            hold.Headers.TryAddWithoutValidation("If-Match", read.Headers.ETag!.Tag);
            await Http.EnsureSuccessAsync(await dsl.SendAsync(hold));
        }

        var response = await DisposeAsync(id);

        response.StatusCode.Should().Be(HttpStatusCode.Conflict);
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("state").GetString().Should().Be("legal_hold");
        (await dsl.GetAsync($"/v1/cases/{id}")).StatusCode.Should().Be(HttpStatusCode.OK);
        File.Exists(StoredPath(key)).Should().BeTrue();
        (await ScalarAsync<long>("SELECT count(*) FROM incidents.case_disposals WHERE case_id = $1", id)).Should().Be(0);
    }

    [Fact]
    public async Task A_hold_placed_after_the_check_is_still_honoured_by_the_database()
    {
        // The endpoint's check passed; the database re-checks under the row's lock: dispose_case with the hold set refuses.
        var (id, key) = await ClosedCasePastRetentionAsync();
        await ScalarAsync<int>("UPDATE incidents.cases SET legal_hold = true, legal_hold_reason = 'Tribunal' WHERE id = $1 RETURNING 1", id);

        var outcome = await DisposeDirectlyAsync(id);

        outcome.Should().Be("legal_hold");
        File.Exists(StoredPath(key)).Should().BeTrue();
        (await ScalarAsync<long>("SELECT count(*) FROM incidents.cases WHERE id = $1", id)).Should().Be(1);
    }

    [Fact]
    public async Task An_open_case_is_not_due_for_disposal()
    {
        var id = await ReportAsync(host, Staff(host), AccountMessage(TestClock.Now));

        var response = await DisposeAsync(id);

        response.StatusCode.Should().Be(HttpStatusCode.Conflict);
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("state").GetString().Should().Be("not_due");
    }

    [Fact]
    public async Task A_disposal_without_a_reason_is_refused_naming_the_field()
    {
        var (id, _) = await ClosedCasePastRetentionAsync();

        var response = await DisposeAsync(id, reason: "");

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("reason", out _).Should().BeTrue();
    }

    [Fact]
    public async Task The_headteacher_cannot_dispose_of_a_case()
    {
        var (id, _) = await ClosedCasePastRetentionAsync();
        using var head = host.Service.ClientFor(Head(host));

        var response = await head.PostAsync($"/v1/cases/{id}/disposal", Json("""{"reason": "Retention ended"}"""));

        response.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await ScalarAsync<long>("SELECT count(*) FROM incidents.cases WHERE id = $1", id)).Should().Be(1);
    }

    [Fact]
    public async Task The_statistics_rollup_still_equals_a_fresh_count_after_a_disposal()
    {
        var (id, _) = await ClosedCasePastRetentionAsync();

        await Http.EnsureSuccessAsync(await DisposeAsync(id));

        var rollup = await RowsAsync(CaseMonthFiguresTests.RollupSql);
        rollup.Should().Equal(await RowsAsync(CaseMonthFiguresTests.FreshSql));
    }

    [Fact]
    public async Task The_removal_sweep_removes_files_a_disposal_left_behind_and_does_nothing_twice()
    {
        // A process that died between the disposal's commit and removing the files: the rows are gone, the file is not.
        var (id, key) = await ClosedCasePastRetentionAsync();
        (await DisposeDirectlyAsync(id)).Should().Be("disposed");
        File.Exists(StoredPath(key)).Should().BeTrue();
        var sweep = host.Service.Services.GetRequiredService<EvidenceRemovalSweep>();

        await sweep.SweepAsync(CancellationToken.None);

        File.Exists(StoredPath(key)).Should().BeFalse();
        (await ScalarAsync<long>("SELECT count(*) FROM incidents.evidence_files_to_remove WHERE case_id = $1", id)).Should().Be(0);
        (await sweep.SweepAsync(CancellationToken.None)).Should().Be(0, "a second pass finds nothing left to remove");
    }

    /// <summary>The database's dispose_case as the app role within the trust, without the endpoint (and so without removing files).</summary>
    private async Task<string> DisposeDirectlyAsync(Guid id)
    {
        await using var connection = new NpgsqlConnection(host.Servers.Database.AppConnectionString);
        await connection.OpenAsync();
        await using (var tenant = new NpgsqlCommand("SELECT set_config('app.trust_id', $1, false)", connection))
        {
            tenant.Parameters.Add(new NpgsqlParameter { Value = host.Trust.ToString() });
            await tenant.ExecuteNonQueryAsync();
        }

        await using var command = new NpgsqlCommand("SELECT outcome FROM incidents.dispose_case($1, $2, $3, $4, 'user:dsl', 'dsl', 'Retention ended')", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = id });
        command.Parameters.Add(new NpgsqlParameter { Value = TestClock.Today });
        command.Parameters.Add(new NpgsqlParameter { Value = TestClock.Now });
        command.Parameters.Add(new NpgsqlParameter { Value = Guid.CreateVersion7() });
        return (string)(await command.ExecuteScalarAsync())!;
    }

    private async Task<List<string>> RowsAsync(string sql)
    {
        await using var owner = await OwnerAsync(host);
        await using var command = new NpgsqlCommand(sql, owner);
        command.Parameters.Add(new NpgsqlParameter { Value = host.Trust });
        var rows = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add(string.Join("|", Enumerable.Range(0, reader.FieldCount).Select(i => Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture))));
        }

        rows.Sort(StringComparer.Ordinal);
        return rows;
    }
}
