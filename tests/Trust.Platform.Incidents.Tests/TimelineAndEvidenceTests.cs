using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Npgsql;
using Trust.Platform.Incidents.Infrastructure;
using Trust.Platform.TestSupport;
using static Trust.Platform.Incidents.Tests.IncidentsSeed;

namespace Trust.Platform.Incidents.Tests;

/// <summary>The hash-chained timeline and evidence.</summary>
public sealed class TimelineAndEvidenceTests(ReplicaServiceHost<IncidentsService> host) : IClassFixture<ReplicaServiceHost<IncidentsService>>
{
    private async Task<Guid> CaseWithNotesAsync(int notes)
    {
        var id = await ReportAsync(host, Staff(host), AccountMessage(TestClock.Now));
        using var head = host.Service.ClientFor(Head(host));
        for (var i = 0; i < notes; i++)
        {
            await Http.EnsureSuccessAsync(await head.PostAsync($"/v1/cases/{id}/notes", Json($$"""{"text": "Replied to the parent, note {{i}}"}""")));
        }

        return id;
    }

    private async Task<JsonElement> VerifyAsync(Guid id)
    {
        using var head = host.Service.ClientFor(Head(host));
        return await head.GetFromJsonAsync<JsonElement>($"/v1/cases/{id}/timeline/verify");
    }

    private async Task AsOwnerAsync(string sql, Guid caseId)
    {
        await using var connection = await OwnerAsync(host);
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.Add(new NpgsqlParameter { Value = caseId });
        (await command.ExecuteNonQueryAsync()).Should().Be(1);
    }

    [Fact]
    public async Task A_report_whose_outbox_row_fails_leaves_no_case_and_no_timeline_row()
    {
        // A report writes three rows in one batch with no explicit transaction (one round trip); this proves the
        // batch is still all or nothing. The fault: the outbox row of a case reported by "fail-me" is refused.
        // It only fires if the case row is written first, so a batch that sent the outbox row ahead would make
        // the case survive and this test fail, not pass silently.
        await using (var owner = await OwnerAsync(host))
        {
            await using var create = new NpgsqlCommand("""
                CREATE FUNCTION incidents.test_refuse_outbox() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF EXISTS (SELECT 1 FROM incidents.cases c WHERE c.id::text = NEW.aggregate_id AND c.reporter_subject = 'fail-me') THEN
                        RAISE EXCEPTION 'injected outbox failure';
                    END IF;
                    RETURN NEW;
                END $$;
                CREATE TRIGGER test_refuse_outbox BEFORE INSERT ON incidents.outbox_messages FOR EACH ROW EXECUTE FUNCTION incidents.test_refuse_outbox();
                """, owner);
            await create.ExecuteNonQueryAsync();
        }

        try
        {
            using var reporter = host.Service.ClientFor(new("fail-me", "Staff", host.Trust, [$"{Trust.Platform.Hosting.Auth.Roles.Staff}:{host.School}"]));
            var response = await reporter.PostAsync($"/v1/schools/{host.School}/cases", Json(AccountMessage(TestClock.Now)));

            response.StatusCode.Should().Be(HttpStatusCode.InternalServerError);
            (await CountAsync("SELECT count(*) FROM incidents.cases WHERE reporter_subject = 'fail-me'")).Should().Be(0);
            (await CountAsync("SELECT count(*) FROM incidents.case_timeline WHERE actor = 'user:fail-me'")).Should().Be(0);
        }
        finally
        {
            await using var owner = await OwnerAsync(host);
            await using var drop = new NpgsqlCommand("DROP TRIGGER test_refuse_outbox ON incidents.outbox_messages; DROP FUNCTION incidents.test_refuse_outbox()", owner);
            await drop.ExecuteNonQueryAsync();
        }

        // The same reporter's next report, with the fault gone, is filed whole.
        var id = await ReportAsync(host, new("fail-me", "Staff", host.Trust, [$"{Trust.Platform.Hosting.Auth.Roles.Staff}:{host.School}"]), AccountMessage(TestClock.Now));
        (await CountAsync($"SELECT count(*) FROM incidents.case_timeline WHERE case_id = '{id}'")).Should().Be(1);
    }

    private async Task<long> CountAsync(string sql)
    {
        await using var owner = await OwnerAsync(host);
        await using var command = new NpgsqlCommand(sql, owner);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    [Fact]
    public async Task An_untouched_timeline_verifies()
    {
        var id = await CaseWithNotesAsync(2);
        var result = await VerifyAsync(id);
        result.GetProperty("valid").GetBoolean().Should().BeTrue();
        result.GetProperty("entries").GetInt32().Should().Be(3);
    }

    [Fact]
    public async Task Changing_one_timeline_row_in_the_database_makes_verification_report_that_row()
    {
        var id = await CaseWithNotesAsync(3);
        await AsOwnerAsync("UPDATE incidents.case_timeline SET body = '{\"text\":\"Never replied\"}' WHERE case_id = $1 AND seq = 3", id);
        var result = await VerifyAsync(id);
        result.GetProperty("valid").GetBoolean().Should().BeFalse();
        result.GetProperty("firstBrokenSeq").GetInt32().Should().Be(3);
    }

    [Fact]
    public async Task Removing_a_timeline_row_makes_verification_report_the_missing_row()
    {
        var id = await CaseWithNotesAsync(3);
        await AsOwnerAsync("DELETE FROM incidents.case_timeline WHERE case_id = $1 AND seq = 2", id);
        var result = await VerifyAsync(id);
        result.GetProperty("valid").GetBoolean().Should().BeFalse();
        result.GetProperty("firstBrokenSeq").GetInt32().Should().Be(2);
    }

    [Fact]
    public async Task Removing_the_last_timeline_row_is_detected_too()
    {
        var id = await CaseWithNotesAsync(2);
        await AsOwnerAsync("DELETE FROM incidents.case_timeline WHERE case_id = $1 AND seq = 3", id);
        var result = await VerifyAsync(id);
        result.GetProperty("valid").GetBoolean().Should().BeFalse();
        result.GetProperty("firstBrokenSeq").GetInt32().Should().Be(3);
    }

    [Theory]
    [InlineData("UPDATE incidents.case_timeline SET body = '{}' WHERE case_id = $1")]
    [InlineData("DELETE FROM incidents.case_timeline WHERE case_id = $1")]
    public async Task The_app_role_can_neither_update_nor_delete_timeline_rows(string sql)
    {
        var id = await CaseWithNotesAsync(1);
        await using var connection = new NpgsqlConnection(host.Servers.Database.AppConnectionString);
        await connection.OpenAsync();
        await using (var tenant = new NpgsqlCommand($"SELECT set_config('app.trust_id', '{host.Trust}', false)", connection))
        {
            await tenant.ExecuteNonQueryAsync();
        }

        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.Add(new NpgsqlParameter { Value = id });
        var act = () => command.ExecuteNonQueryAsync();
        (await act.Should().ThrowAsync<PostgresException>()).Which.SqlState.Should().Be(PostgresErrorCodes.InsufficientPrivilege);
    }

    private async Task<HttpResponseMessage> UploadAsync(Guid caseId, byte[] bytes, string contentType, string query = "")
    {
        using var head = host.Service.ClientFor(Head(host));
        using var content = EvidenceFile(bytes, contentType);
        return await head.PostAsync($"/v1/cases/{caseId}/evidence{query}", content);
    }

    [Fact]
    public async Task Evidence_round_trips_byte_for_byte_with_its_sha256()
    {
        await EnsureAsync(host);
        var id = await CaseWithNotesAsync(0);
        // 2 MB: above the platform's 1 MiB default, within the 10 MB evidence limit.
        var bytes = new byte[2 * 1024 * 1024];
        Random.Shared.NextBytes(bytes);
        new byte[] { 0x25, 0x50, 0x44, 0x46, 0x2D, 0x31, 0x2E, 0x37 }.CopyTo(bytes, 0);
        var captured = new DateTimeOffset(2026, 11, 20, 15, 4, 5, TimeSpan.Zero);
        var upload = await UploadAsync(id, bytes, "application/pdf", $"?fileName=screenshot.pdf&capturedAt={Uri.EscapeDataString(captured.ToString("O"))}");
        await Http.EnsureSuccessAsync(upload);
        var item = await upload.Content.ReadFromJsonAsync<JsonElement>();
        var hash = Convert.ToHexStringLower(SHA256.HashData(bytes));
        item.GetProperty("sha256").GetString().Should().Be(hash);
        item.GetProperty("capturedAt").GetDateTimeOffset().Should().Be(captured);
        item.GetProperty("uploader").GetString().Should().Be("user:head");

        using var head = host.Service.ClientFor(Head(host));
        var download = await head.GetAsync($"/v1/cases/{id}/evidence/{item.GetProperty("id").GetGuid()}");
        await Http.EnsureSuccessAsync(download);
        (await download.Content.ReadAsByteArrayAsync()).Should().Equal(bytes);
        download.Headers.GetValues("X-Evidence-Sha256").Single().Should().Be(hash);
        download.Content.Headers.ContentType!.MediaType.Should().Be("application/pdf");
    }

    [Fact]
    public async Task A_capture_time_sent_with_its_own_offset_is_kept_as_the_same_instant()
    {
        await EnsureAsync(host);
        var id = await CaseWithNotesAsync(0);
        var bytes = new byte[] { 0x25, 0x50, 0x44, 0x46, 0x2D, 0x31, 0x2E, 0x37, 0x0A };
        // 14:30 on a summer's day in England, as a browser at the school sends it: a 500 once (Npgsql writes UTC only).
        var upload = await UploadAsync(id, bytes, "application/pdf", $"?fileName=summer.pdf&capturedAt={Uri.EscapeDataString("2026-06-15T14:30:00+01:00")}");
        await Http.EnsureSuccessAsync(upload);
        var item = await upload.Content.ReadFromJsonAsync<JsonElement>();
        var captured = item.GetProperty("capturedAt").GetDateTimeOffset();
        captured.Should().Be(new DateTimeOffset(2026, 6, 15, 13, 30, 0, TimeSpan.Zero));
        captured.Offset.Should().Be(TimeSpan.Zero, "instants are answered in UTC");

        using var head = host.Service.ClientFor(Head(host));
        var timeline = await head.GetFromJsonAsync<JsonElement>($"/v1/cases/{id}/timeline?limit=200");
        timeline.GetProperty("items").EnumerateArray().Single(e => e.GetProperty("kind").GetString() == "evidence")
            .GetProperty("body").GetProperty("capturedAt").GetDateTimeOffset().Should().Be(new DateTimeOffset(2026, 6, 15, 13, 30, 0, TimeSpan.Zero));
    }

    [Fact]
    public async Task Evidence_is_kept_in_the_configured_folder()
    {
        await EnsureAsync(host);
        var storage = (LocalFolderEvidenceStorage)host.Service.Services.GetRequiredService<IEvidenceStorage>();
        storage.Root.Should().Be(Path.GetFullPath(EvidenceFolder.Root));
        Directory.EnumerateFiles(storage.Root, "*", SearchOption.AllDirectories).Should().NotBeEmpty();
    }

    /// <summary>Where the stored bytes of an evidence item are (its storage key, read as the owner within the trust).</summary>
    private async Task<string> StoredFileAsync(Guid evidenceId)
    {
        await using var owner = await OwnerAsync(host);
        await using (var tenant = new NpgsqlCommand("SELECT set_config('app.trust_id', $1, false)", owner))
        {
            tenant.Parameters.Add(new NpgsqlParameter { Value = host.Trust.ToString() });
            await tenant.ExecuteNonQueryAsync();
        }

        await using var command = new NpgsqlCommand("SELECT storage_key FROM incidents.evidence WHERE id = $1", owner);
        command.Parameters.Add(new NpgsqlParameter { Value = evidenceId });
        var key = (string?)await command.ExecuteScalarAsync();
        key.Should().NotBeNull();
        // The storage may fan files out into sub-folders: the file is the one its key names.
        var name = Path.GetFileName(key!);
        return Directory.EnumerateFiles(EvidenceFolder.Root, name, SearchOption.AllDirectories).Single(f => f.EndsWith(key!, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Evidence_is_stored_encrypted_never_as_its_plaintext()
    {
        await EnsureAsync(host);
        var id = await CaseWithNotesAsync(0);
        var bytes = new byte[64 * 1024];
        Random.Shared.NextBytes(bytes);
        IncidentsSeed.Png.CopyTo(bytes, 0);
        var upload = await UploadAsync(id, bytes, "image/png");
        await Http.EnsureSuccessAsync(upload);
        var evidenceId = (await upload.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();

        var stored = await File.ReadAllBytesAsync(await StoredFileAsync(evidenceId));
        stored.Should().NotEqual(bytes);
        stored.AsSpan().IndexOf(bytes.AsSpan(0, 32)).Should().Be(-1, "not even the file's first bytes are stored in clear");
        stored.AsSpan().IndexOf(bytes.AsSpan(32 * 1024, 32)).Should().Be(-1, "nor any later part of it");
    }

    [Fact]
    public async Task A_stored_evidence_file_is_named_by_neither_its_trust_nor_its_case_nor_its_id()
    {
        var seed = await EnsureAsync(host);
        var relative = Path.GetRelativePath(EvidenceFolder.Root, await StoredFileAsync(seed.EvidenceId));
        foreach (var id in new[] { host.Trust, seed.CaseId, seed.EvidenceId })
        {
            relative.Should().NotContainEquivalentOf(id.ToString("N")).And.NotContainEquivalentOf(id.ToString());
        }
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task The_evidence_folder_is_open_to_the_service_user_only()
    {
        await EnsureAsync(host);
        File.GetUnixFileMode(EvidenceFolder.Root).Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    [Fact]
    public async Task Eleven_megabytes_of_evidence_is_413_as_problem_details()
    {
        var id = await CaseWithNotesAsync(0);
        var bytes = new byte[11 * 1024 * 1024];
        IncidentsSeed.Png.CopyTo(bytes, 0);
        var response = await UploadAsync(id, bytes, "image/png");
        response.StatusCode.Should().Be(HttpStatusCode.RequestEntityTooLarge);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
    }

    [Theory]
    [InlineData("application/octet-stream")]
    [InlineData("image/png")]
    public async Task An_exe_is_415_as_problem_details_whatever_content_type_it_claims(string contentType)
    {
        var id = await CaseWithNotesAsync(0);
        byte[] exe = [0x4D, 0x5A, 0x90, 0x00, 0x03, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0xFF, 0xFF];
        var response = await UploadAsync(id, exe, contentType);
        response.StatusCode.Should().Be(HttpStatusCode.UnsupportedMediaType);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
    }

    [Fact]
    public async Task Adding_evidence_appends_a_timeline_entry_that_still_verifies()
    {
        await EnsureAsync(host);
        var id = await CaseWithNotesAsync(1);
        await Http.EnsureSuccessAsync(await UploadAsync(id, IncidentsSeed.Png, "image/png"));
        using var head = host.Service.ClientFor(Head(host));
        var timeline = await head.GetFromJsonAsync<JsonElement>($"/v1/cases/{id}/timeline");
        timeline.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("kind").GetString()).Should().Equal("reported", "note", "evidence");
        (await VerifyAsync(id)).GetProperty("valid").GetBoolean().Should().BeTrue();
    }
}
