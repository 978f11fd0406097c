using System.Net.Http.Json;
using System.Text.Json.Nodes;
using FluentAssertions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using MimeKit;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.Incidents.Features.Cases;
using Trust.Platform.Incidents.Features.Overdue;
using Trust.Platform.Policy.Notifications;
using Trust.Platform.TestSupport;
using Trust.Platform.Training.Features.Notifications;

namespace Trust.Platform.Story.Tests;

/// <summary>
/// "Who is told what", read from the real SMTP server's mailboxes: for each row the right people receive exactly one
/// message, and the people who may not know (the person a case is about, a headteacher for a restricted case) receive
/// none. "None" is checked in Policy's queue as well as the mailbox: every recipient of one request is queued in one
/// transaction, so once the first message of a request has arrived, a message for anyone else would already be queued.
/// </summary>
[Collection(NotificationCollection.Name)]
public sealed class NotificationTests(NotificationFixture fixture)
{
    private DevUser As(Person person) => new(person.Subject, "Member", fixture.Trust, []);

    [Fact]
    public async Task A_restricted_case_reaches_the_dsls_with_a_link_only_and_a_case_about_the_headteacher_reaches_the_chair_never_the_headteacher()
    {
        var s = fixture.Schools["cases"];
        var secret = "Secret " + Guid.NewGuid().ToString("N")[..8];
        var restricted = await ReportAsync(s, s.Teacher, new
        {
            type = "cyberbullying", summary = $"{secret}: threatening messages between pupils on a class group chat",
            subject = new { kind = "pupil", misId = "A1234567" },
            cyberbullying = new { victim = "pupil", perpetrator = "pupil", incidentAt = TestClock.Now.AddHours(-2) },
        });

        foreach (var dsl in new[] { s.Dsl, s.Deputy })
        {
            var message = (await MailPickup.WaitForAsync(dsl.Email)).Should().ContainSingle().Which;
            message.Subject.Should().Be("A restricted case has been reported");
            message.TextBody.Should().Contain($"/cases/{restricted}").And.NotContain(secret).And.NotContain("A1234567").And.NotContain("cyberbullying");
        }

        await NoneQueuedAsync([CaseNotices.RestrictedKind], s.Head, s.Marketing, s.Chair, s.Teacher);

        // About the headteacher (002 l.225): the chair and the DSLs may read it; the headteacher is its subject.
        var aboutHead = await ReportAsync(s, s.Teacher, new
        {
            type = "staff_conduct_concern", summary = "The headteacher posted about a pupil's family on a personal account",
            subject = new { kind = "staff", rosterId = s.Head.StaffId, isHeadteacher = true }, staffConductConcern = new { platform = "Facebook" },
        });
        (await MailPickup.WaitForAsync(s.Chair.Email)).Should().ContainSingle().Which.TextBody.Should().Contain($"/cases/{aboutHead}");
        foreach (var dsl in new[] { s.Dsl, s.Deputy })
        {
            (await MailPickup.WaitForAsync(dsl.Email, 2)).Should().HaveCount(2);
        }

        await NoneQueuedAsync([CaseNotices.RestrictedKind], s.Head, s.Marketing, s.Teacher);
    }

    [Fact]
    public async Task A_concern_about_a_member_of_staff_reaches_the_headteacher_and_never_the_person_it_is_about()
    {
        var s = fixture.Schools["cases"];
        var id = await ReportAsync(s, s.Teacher, new
        {
            type = "staff_conduct_concern", summary = "A member of staff accepted a pupil's friend request",
            subject = new { kind = "staff", rosterId = s.Marketing.StaffId }, staffConductConcern = new { platform = "Instagram" },
        });

        var told = await MailPickup.WaitForAsync(s.Head.Email);
        told.Should().ContainSingle(m => (m.TextBody ?? "").Contains($"/cases/{id}"));
        told.Single(m => (m.TextBody ?? "").Contains($"/cases/{id}")).Subject.Should().Be("New case at Notices cases school: staff conduct concern");
        await NoneQueuedAsync([CaseNotices.ReportedKind], s.Marketing, s.Teacher, s.Chair);
    }

    [Fact]
    public async Task A_comment_tells_its_assigned_role_an_escalation_and_each_deadline_tell_the_headteacher_once_each()
    {
        var s = fixture.Schools["sla"];
        var comment = await ReportAsync(s, s.Teacher, AccountMessage(TestClock.Now.AddMinutes(-5)));
        var assigned = await AssignedPeopleAsync(s, comment);
        assigned.Should().NotBeEmpty();
        foreach (var person in assigned)
        {
            (await MailPickup.WaitForAsync(person.Email)).Should().ContainSingle(m => (m.TextBody ?? "").Contains($"/cases/{comment}"))
                .Which.Subject.Should().Be("New case at Notices sla school: account message");
        }

        // The DSL escalates; the headteacher is told, the DSL is not told of their own step.
        using (var dsl = fixture.Incidents.ClientFor(As(s.Dsl)))
        {
            await Http.EnsureSuccessAsync(await dsl.PostAsJsonAsync($"/v1/cases/{comment}/escalations", new { step = "internal", reason = "The parent has asked twice" }));
        }

        var escalated = await WaitForKindAsync(s.Head, CaseNotices.EscalatedKind);
        escalated.Subject.Should().Be("Case escalated at Notices sla school: internal");
        escalated.TextBody.Should().NotContain("asked twice", "the reason is a person's words, kept in the case");

        // Another comment whose deadline passed long ago; then the sweep, twice: one warning for the first, one overdue for the second.
        var late = await ReportAsync(s, s.Teacher, AccountMessage(TestClock.Now.AddDays(-20)));
        var scanner = fixture.Incidents.Services.GetRequiredService<OverdueScanner>();
        await scanner.SweepAsync(CancellationToken.None);
        await scanner.SweepAsync(CancellationToken.None);

        (await WaitForKindAsync(s.Head, CaseNotices.DueSoonKind)).TextBody.Should().Contain($"/cases/{comment}");
        (await WaitForKindAsync(s.Head, CaseNotices.OverdueKind)).TextBody.Should().Contain($"/cases/{late}");
        foreach (var kind in new[] { CaseNotices.EscalatedKind, CaseNotices.DueSoonKind, CaseNotices.OverdueKind })
        {
            (await QueuedAsync(s.Head, kind)).Should().Be(1, $"the headteacher is told once of {kind}");
        }

        await NoneQueuedAsync([CaseNotices.EscalatedKind, CaseNotices.DueSoonKind, CaseNotices.OverdueKind],
            s.Dsl, s.Deputy, s.Marketing, s.Chair, s.Teacher);
    }

    [Fact]
    public async Task Training_falling_due_tells_the_person_once_and_the_weekly_digest_names_who_is_behind_to_the_headteacher()
    {
        var s = fixture.Schools["training"];
        using var ceo = fixture.Training.ClientFor(fixture.Ceo);
        var start = TestClock.Day(TestClock.Today.AddDays(-400));
        var tag = Guid.NewGuid().ToString("N")[..6];
        var synced = await ceo.PostAsJsonAsync($"/v1/schools/{s.School}/roster/sync", new
        {
            people = new[]
            {
                new { misId = "T1" + tag, displayName = "Teacher One " + tag, personType = "staff", roles = new[] { "teacher" }, startDate = start },
                new { misId = "T2" + tag, displayName = "Teacher Two " + tag, personType = "staff", roles = new[] { "teacher" }, startDate = start },
            },
            deletions = Array.Empty<string>(),
        });
        await Http.EnsureSuccessAsync(synced);
        var behind = await Eventually.Until(async () => await ceo.GetFromJsonAsync<JsonObject>($"/v1/schools/{s.School}/compliance/people?status=all&limit=200"),
            page => page!["items"]!.AsArray().Count > 0, because: "the roster is synced");
        var teacherOne = behind!["items"]!.AsArray().First(i => i!["misId"]!.GetValue<string>() == "T1" + tag)!["personId"]!.GetValue<Guid>();

        // The teacher's member record is linked to their roster person; Training's replica learns it.
        using (var admin = fixture.Policy.ClientFor(new DevUser("notices-ceo", "CEO", fixture.Trust, [Roles.TrustAdmin])))
        {
            var read = await admin.GetAsync($"/v1/members/{s.Teacher.MemberId}");
            await Http.EnsureSuccessAsync(read);
            using var put = new HttpRequestMessage(HttpMethod.Put, $"/v1/members/{s.Teacher.MemberId}")
            {
                Content = JsonContent.Create(new { displayName = "staff of training", email = s.Teacher.Email, subject = s.Teacher.Subject, staffId = teacherOne }),
            };
            put.Headers.IfMatch.Add(read.Headers.ETag!);
            await Http.EnsureSuccessAsync(await admin.SendAsync(put));
        }

        await Eventually.Until(() => fixture.CountAsync("SELECT count(*) FROM training.people_members WHERE trust_id = $1 AND staff_id = $2", teacherOne),
            n => n == 1, because: "the link reaches Training");

        var sweep = fixture.Training.Services.GetRequiredService<TrainingNoticeService>();
        await sweep.SweepAsync(CancellationToken.None);
        await sweep.SweepAsync(CancellationToken.None);

        var due = await WaitForKindAsync(s.Teacher, TrainingNoticeService.DueKind);
        due.TextBody.Should().Contain("induction").And.Contain("overdue since");
        var digest = await WaitForKindAsync(s.Head, TrainingNoticeService.DigestKind);
        digest.Subject.Should().Be("Who is behind with training at Notices training school");
        digest.TextBody.Should().Contain("Teacher One " + tag).And.Contain("Teacher Two " + tag);
        (await QueuedAsync(s.Teacher, TrainingNoticeService.DueKind)).Should().Be(1);
        (await QueuedAsync(s.Head, TrainingNoticeService.DigestKind)).Should().Be(1);
        await NoneQueuedAsync([TrainingNoticeService.DigestKind], s.Dsl, s.Deputy, s.Marketing, s.Chair, s.Teacher);
    }

    [Fact]
    public async Task A_member_on_the_daily_digest_gets_one_message_a_day_but_a_safeguarding_notice_at_once()
    {
        var s = fixture.Schools["digest"];
        foreach (var person in new[] { s.Marketing, s.Dsl })
        {
            using var client = fixture.Policy.ClientFor(As(person));
            var chosen = await client.PutAsJsonAsync("/v1/me/notifications", new { delivery = "daily_digest" });
            await Http.EnsureSuccessAsync(chosen);
            (await chosen.Content.ReadFromJsonAsync<JsonObject>())!["delivery"]!.GetValue<string>().Should().Be("daily_digest");
        }

        using (var teacher = fixture.Policy.ClientFor(As(s.Teacher)))
        {
            var refused = await teacher.PutAsJsonAsync("/v1/me/notifications", new { delivery = "weekly" });
            refused.StatusCode.Should().Be(System.Net.HttpStatusCode.BadRequest);
            (await refused.Content.ReadFromJsonAsync<JsonObject>())!["errors"]!.AsObject().Should().ContainKey("delivery");
        }

        var first = await ReportAsync(s, s.Teacher, AccountMessage(TestClock.Now.AddMinutes(-10)));
        var second = await ReportAsync(s, s.Teacher, AccountMessage(TestClock.Now.AddMinutes(-5)));
        var assigned = await AssignedPeopleAsync(s, first);
        assigned.Should().Contain(s.Marketing, "the seeds' comments go to the marketing officer");
        await Eventually.Until(() => fixture.CountAsync("SELECT count(*) FROM policy.digest_items WHERE trust_id = $1 AND member_id = $2", s.Marketing.MemberId),
            n => n == 2, because: "both notices are held for the digest");
        (await QueuedAsync(s.Marketing, CaseNotices.ReportedKind)).Should().Be(0);

        var restricted = await ReportAsync(s, s.Teacher, new
        {
            type = "cyberbullying", summary = "Threatening messages between pupils",
            subject = new { kind = "pupil", misId = "B7654321" }, cyberbullying = new { victim = "pupil", perpetrator = "pupil", incidentAt = TestClock.Now.AddHours(-1) },
        });
        (await MailPickup.WaitForAsync(s.Dsl.Email)).Should().ContainSingle().Which.TextBody.Should().Contain($"/cases/{restricted}");

        // The next morning (the run's clock a day on), twice: one digest with both notices.
        var tomorrow = new ShiftedTime(TimeSpan.FromDays(1));
        var digests = new DigestSender(fixture.Policy.Services.GetRequiredService<IServiceScopeFactory>(), tomorrow,
            fixture.Policy.Services.GetRequiredService<IOptions<MailOptions>>(), NullLogger<DigestSender>.Instance);
        await digests.SweepAsync(CancellationToken.None);
        await digests.SweepAsync(CancellationToken.None);
        // The digest is due at that morning's clock; a sender on the same clock sends it.
        await new MailSender(fixture.Policy.Services.GetRequiredService<IServiceScopeFactory>(), tomorrow,
            fixture.Policy.Services.GetRequiredService<IOptions<MailOptions>>(), new QueueSignal<OutgoingMail>(), NullLogger<MailSender>.Instance).SendDueAsync(CancellationToken.None);
        var digest = await WaitForKindAsync(s.Marketing, DigestSender.Kind);
        digest.Subject.Should().StartWith("Your Trust Platform digest for ").And.EndWith(": 2 notices");
        digest.TextBody.Should().Contain($"/cases/{first}").And.Contain($"/cases/{second}");
        MailPickup.Delivered(s.Marketing.Email).Should().ContainSingle("the two notices came in one message");
        (await QueuedAsync(s.Dsl, DigestSender.Kind)).Should().Be(0, "the DSL's only notice was sent at once");
    }

    private static object AccountMessage(DateTimeOffset receivedAt) => new
    {
        type = "account_message", summary = "A parent asks on the school page when the trip leaves",
        accountMessage = new { platform = "facebook", kind = "query", receivedAt },
    };

    private async Task<Guid> ReportAsync(SchoolPeople s, Person reporter, object body)
    {
        using var client = fixture.Incidents.ClientFor(As(reporter));
        return await NotificationFixture.IdOfAsync(await client.PostAsJsonAsync($"/v1/schools/{s.School}/cases", body));
    }

    /// <summary>The people of the school holding the role the case was routed to, read as its DSL.</summary>
    private async Task<IReadOnlyList<Person>> AssignedPeopleAsync(SchoolPeople s, Guid caseId)
    {
        using var dsl = fixture.Incidents.ClientFor(As(s.Dsl));
        var found = await dsl.GetFromJsonAsync<JsonObject>($"/v1/cases/{caseId}");
        return found!["assignedRole"]!.GetValue<string>() switch
        {
            Roles.Headteacher => [s.Head],
            Roles.Dsl => [s.Dsl, s.Deputy],
            Roles.MarketingOfficer => [s.Marketing],
            Roles.Chair => [s.Chair],
            var other => throw new InvalidOperationException($"No person of the fixture holds {other}."),
        };
    }

    private async Task<MimeMessage> WaitForKindAsync(Person person, string kind)
    {
        await Eventually.Until(() => fixture.CountAsync(
            "SELECT count(*) FROM policy.outgoing_mail WHERE trust_id = $1 AND recipient_member_id = $2 AND kind = $3 AND sent_at IS NOT NULL", person.MemberId, kind),
            n => n >= 1, because: $"{kind} is sent to the person");
        var subject = await SubjectOfAsync(person, kind);
        var messages = await Eventually.Until(() => Task.FromResult(MailPickup.Delivered(person.Email)), m => m.Any(x => x.Subject == subject),
            because: $"{kind} is delivered");
        return messages.Single(m => m.Subject == subject);
    }

    private async Task<string> SubjectOfAsync(Person person, string kind)
    {
        await using var connection = new Npgsql.NpgsqlConnection(fixture.Servers.Database.OwnerConnectionString);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand(
            "SELECT subject FROM policy.outgoing_mail WHERE trust_id = $1 AND recipient_member_id = $2 AND kind = $3 ORDER BY created_at LIMIT 1", connection);
        command.Parameters.Add(new Npgsql.NpgsqlParameter { Value = fixture.Trust });
        command.Parameters.Add(new Npgsql.NpgsqlParameter { Value = person.MemberId });
        command.Parameters.Add(new Npgsql.NpgsqlParameter { Value = kind });
        return (string)(await command.ExecuteScalarAsync())!;
    }

    private Task<long> QueuedAsync(Person person, string kind) => fixture.CountAsync(
        "SELECT count(*) FROM policy.outgoing_mail WHERE trust_id = $1 AND recipient_member_id = $2 AND kind = $3", person.MemberId, kind);

    private async Task NoneQueuedAsync(IReadOnlyList<string> kinds, params Person[] people)
    {
        foreach (var person in people)
        {
            foreach (var kind in kinds)
            {
                (await QueuedAsync(person, kind)).Should().Be(0, $"{kind} is not for this person");
            }
        }
    }
}
