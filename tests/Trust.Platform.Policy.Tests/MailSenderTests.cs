using System.Net.Http.Json;
using Trust.Platform.Contracts;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Trust.Platform.Data.Tenancy;
using Trust.Platform.Policy.Infrastructure;
using Trust.Platform.Policy.Notifications;
using Trust.Platform.TestSupport;

namespace Trust.Platform.Policy.Tests;

/// <summary>The mail queue against the real SMTP server of deploy/local/servers.sh (OpenSMTPD), read back from its Maildirs.</summary>
[Collection(PolicyCollection.Name)]
public sealed class MailSenderTests(PolicyFixture fixture)
{
    [Fact]
    public async Task A_queued_message_is_delivered_once_with_a_stable_message_id()
    {
        var to = MailPickup.Address("headteacher");
        var id = await QueueAsync(fixture.TrustA, to, "Review due: School A1", "The policy review of School A1 is due.");

        var sender = fixture.Policy.Services.GetRequiredService<MailSender>();
        await sender.SendDueAsync(CancellationToken.None);
        var delivered = await MailPickup.WaitForAsync(to);
        await sender.SendDueAsync(CancellationToken.None);

        MailPickup.Delivered(to).Should().ContainSingle("a message is marked sent in the transaction that claimed it");
        delivered[0].MessageId.Should().Be($"{id:N}@trust-platform.test");
        delivered[0].Subject.Should().Be("Review due: School A1");
        delivered[0].Headers["Auto-Submitted"].Should().Be("auto-generated");
        delivered[0].TextBody.Should().Contain("The policy review of School A1 is due.");
        (await StateAsync(fixture.TrustA, id)).SentAt.Should().NotBeNull();
    }

    [Fact]
    public async Task A_relay_that_cannot_be_reached_leaves_the_message_queued_with_a_back_off_and_it_is_sent_when_due()
    {
        var to = MailPickup.Address("dsl");
        // Due ten minutes from now: the service's own sender (relay up) leaves it alone while this test plays the clock.
        var due = TimeSpan.FromMinutes(10);
        var id = await QueueAsync(fixture.TrustB, to, "A case needs you", "Open the case in the console.", due);

        await Sender(new ShiftedTime(due), o => o.Port = UnusedPort()).SendDueAsync(CancellationToken.None);
        var state = await StateAsync(fixture.TrustB, id);
        state.SentAt.Should().BeNull();
        state.Attempts.Should().Be(1);
        state.LastError.Should().NotBeNullOrEmpty().And.NotContain("@", "the error kept never quotes an address");
        state.NextAttemptAt.Should().BeAfter(TestClock.Now + due + TimeSpan.FromSeconds(50), "the first retry waits a minute");

        // Before the back-off has run out nothing is tried, even with the relay back.
        await Sender(new ShiftedTime(due)).SendDueAsync(CancellationToken.None);
        (await StateAsync(fixture.TrustB, id)).Attempts.Should().Be(1);
        MailPickup.Delivered(to).Should().BeEmpty();

        await Sender(new ShiftedTime(due + TimeSpan.FromMinutes(2))).SendDueAsync(CancellationToken.None);
        (await MailPickup.WaitForAsync(to)).Should().ContainSingle();
        (await StateAsync(fixture.TrustB, id)).Attempts.Should().Be(2);
    }

    [Fact]
    public async Task The_running_sender_sends_a_message_when_it_falls_due_without_waiting_for_its_safety_poll()
    {
        // Queued to go in 3 s: the commit wakes the service's own sender, which finds nothing due yet and sleeps until
        // the row's time (its safety poll is 2 minutes), so the message arrives seconds after it fell due.
        fixture.Policy.Services.GetRequiredService<IOptions<MailOptions>>().Value.IdleInterval.Should().BeGreaterThan(TimeSpan.FromSeconds(60));
        var to = MailPickup.Address("due-soon");
        var id = await QueueAsync(fixture.TrustA, to, "Due in a moment", "Sent when due.", TimeSpan.FromSeconds(3));

        (await MailPickup.WaitForAsync(to, timeout: TimeSpan.FromSeconds(45))).Should().ContainSingle();
        var state = await StateAsync(fixture.TrustA, id);
        state.Attempts.Should().Be(1);
        state.SentAt.Should().BeOnOrAfter(state.NextAttemptAt, "nothing is sent before it is due");
    }

    [Fact]
    public async Task More_messages_than_the_relay_takes_in_one_session_are_all_sent_at_once()
    {
        // OpenSMTPD refuses a 101st message in one session (452); the sender starts new sessions, and nothing waits a minute.
        // The pass sends through several sessions at once (Smtp:Connections): the mailbox count shows none was sent twice.
        var to = MailPickup.Address("bulk");
        var ids = new List<Guid>();
        for (var i = 0; i < 130; i++)
        {
            ids.Add(await QueueAsync(fixture.TrustA, to, $"Message {i}", "Bulk."));
        }

        await fixture.Policy.Services.GetRequiredService<MailSender>().SendDueAsync(CancellationToken.None);
        (await MailPickup.WaitForAsync(to, 130)).Should().HaveCount(130);
        foreach (var id in ids)
        {
            (await StateAsync(fixture.TrustA, id)).Attempts.Should().Be(1, "no message was refused and retried later");
        }
    }

    private MailSender Sender(TimeProvider time, Action<MailOptions>? change = null)
    {
        var options = fixture.Policy.Services.GetRequiredService<IOptions<MailOptions>>().Value;
        var copy = new MailOptions { Host = options.Host, Port = options.Port, Tls = options.Tls, From = options.From, ConsoleBaseUrl = options.ConsoleBaseUrl };
        change?.Invoke(copy);
        return new MailSender(fixture.Policy.Services.GetRequiredService<IServiceScopeFactory>(), time, Options.Create(copy), new QueueSignal<OutgoingMail>(), NullLogger<MailSender>.Instance);
    }

    private static int UnusedPort()
    {
        using var probe = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        probe.Start();
        return ((System.Net.IPEndPoint)probe.LocalEndpoint).Port; // free again once stopped: nothing listens there
    }

    private async Task<Guid> QueueAsync(Guid trust, string to, string subject, string body, TimeSpan? dueIn = null)
    {
        await using var scope = fixture.Policy.Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<TenantContext>().Set(trust);
        var db = scope.ServiceProvider.GetRequiredService<PolicyDbContext>();
        var now = TestClock.Now;
        var mail = new OutgoingMail
        {
            TrustId = trust, Id = Guid.CreateVersion7(now), DedupeKey = "test:" + Guid.NewGuid(), Kind = "test", RecipientAddress = to,
            Subject = subject, Body = body, CreatedAt = now, NextAttemptAt = now + (dueIn ?? TimeSpan.Zero),
        };
        db.OutgoingMail.Add(mail);
        await db.SaveChangesAsync();
        return mail.Id;
    }

    private async Task<OutgoingMail> StateAsync(Guid trust, Guid id)
    {
        await using var scope = fixture.Policy.Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<TenantContext>().Set(trust);
        return await scope.ServiceProvider.GetRequiredService<PolicyDbContext>().OutgoingMail.AsNoTracking().SingleAsync(m => m.Id == id);
    }

}

/// <summary>A service names the members to tell (NotificationRequested); Policy queues and sends one message each.</summary>
[Collection(PolicyCollection.Name)]
public sealed class NotificationRequestedTests(PolicyFixture fixture)
{
    [Fact]
    public async Task Each_named_member_of_the_trust_gets_exactly_one_message_even_when_the_event_is_delivered_twice()
    {
        using var operatorClient = fixture.Policy.ClientFor(PolicyFixture.Operator);
        var (trust, ceo) = await NewTrustAsync(operatorClient, "Notified Trust");
        var (_, stranger) = await NewTrustAsync(operatorClient, "Other Trust");

        var request = new NotificationRequested(Guid.CreateVersion7(), trust, TestClock.Now, null, "case_reported", [ceo.Id, stranger.Id, Guid.NewGuid()],
            "A case was reported at your school", "A new case needs a response.", "/cases/123", Safeguarding: true);
        await fixture.Servers.PublishAsync(request);
        await fixture.Servers.PublishAsync(request);

        var delivered = await MailPickup.WaitForAsync(ceo.Email);
        delivered[0].Subject.Should().Be("A case was reported at your school");
        delivered[0].TextBody.Should().Contain("Dear Notified Trust CEO,").And.Contain("A new case needs a response.").And.Contain("/cases/123");
        delivered[0].Headers["X-Trust-Platform-Kind"].Should().Be("case_reported");

        // A later request shows the first one has been handled in full: the replay added nothing, the stranger got nothing.
        var marker = request with { EventId = Guid.CreateVersion7(), MemberIds = [ceo.Id] };
        await fixture.Servers.PublishAsync(marker);
        await MailPickup.WaitForAsync(ceo.Email, 2);
        MailPickup.Delivered(ceo.Email).Should().HaveCount(2, "one message for each request, none for the replay");
        MailPickup.Delivered(stranger.Email).Should().BeEmpty("a member of another trust is never told");
    }

    [Fact]
    public async Task Each_review_reminder_tells_the_trusts_ceo_and_the_schools_headteacher_once()
    {
        using var operatorClient = fixture.Policy.ClientFor(PolicyFixture.Operator);
        var (trust, ceo) = await NewTrustAsync(operatorClient, "Reviewing Trust");
        using var admin = fixture.Policy.ClientFor(fixture.TrustAdmin(trust));
        var school = await admin.PostAsJsonAsync("/v1/schools", new { name = "Mellers Primary School", urn = "140103", phase = "primary" });
        school.EnsureSuccessStatusCode();
        var schoolId = (await school.Content.ReadFromJsonAsync<System.Text.Json.Nodes.JsonObject>())!["id"]!.GetValue<Guid>();
        var headEmail = MailPickup.Address("head");
        var head = await admin.PostAsJsonAsync("/v1/members", new { displayName = "Headteacher", email = headEmail });
        head.EnsureSuccessStatusCode();
        var headId = (await head.Content.ReadFromJsonAsync<System.Text.Json.Nodes.JsonObject>())!["id"]!.GetValue<Guid>();
        (await admin.PostAsJsonAsync($"/v1/schools/{schoolId}/appointments", new { memberId = headId, role = "headteacher", startsOn = "2020-09-01" })).EnsureSuccessStatusCode();
        var clerkEmail = MailPickup.Address("clerk");
        var clerk = await admin.PostAsJsonAsync("/v1/members", new { displayName = "Clerk", email = clerkEmail });
        var clerkId = (await clerk.Content.ReadFromJsonAsync<System.Text.Json.Nodes.JsonObject>())!["id"]!.GetValue<Guid>();
        (await admin.PostAsJsonAsync($"/v1/schools/{schoolId}/appointments", new { memberId = clerkId, role = "staff", startsOn = "2020-09-01" })).EnsureSuccessStatusCode();

        var due = new PolicyReviewDue(Guid.CreateVersion7(), trust, schoolId, TestClock.Now, new DateOnly(2025, 3, 31), "overdue");
        await fixture.Servers.PublishAsync(due);
        await fixture.Servers.PublishAsync(due);
        await fixture.Servers.PublishAsync(due with { EventId = Guid.CreateVersion7(), Reminder = "1_week", ReviewDate = new DateOnly(2026, 3, 31) });

        var delivered = await MailPickup.WaitForAsync(ceo.Email, 2);
        delivered.Select(m => m.Subject).Should().BeEquivalentTo("Policy review overdue: Mellers Primary School", "Policy review due on 31 March 2026: Mellers Primary School");
        delivered.Should().OnlyContain(m => m.Headers["X-Trust-Platform-Kind"] == "policy_review_due");
        delivered.Single(m => m.Subject?.Contains("overdue", StringComparison.Ordinal) == true).TextBody.Should().Contain("was due for review on 31 March 2025");
        MailPickup.Delivered(ceo.Email).Should().HaveCount(2, "the replayed reminder adds nothing");
        (await MailPickup.WaitForAsync(headEmail, 2)).Select(m => m.Subject).Should().BeEquivalentTo(delivered.Select(m => m.Subject));
        MailPickup.Delivered(clerkEmail).Should().BeEmpty("staff are not told of reviews");
    }

    private static async Task<(Guid Trust, (Guid Id, string Email) Ceo)> NewTrustAsync(HttpClient operatorClient, string name)
    {
        var email = MailPickup.Address("ceo", "trust.example");
        var response = await operatorClient.PostAsJsonAsync("/v1/trusts", new { name, firstAdmin = new { displayName = name + " CEO", email } });
        response.EnsureSuccessStatusCode();
        var body = (await response.Content.ReadFromJsonAsync<System.Text.Json.Nodes.JsonObject>())!;
        return (body["id"]!.GetValue<Guid>(), (body["firstAdmin"]!["id"]!.GetValue<Guid>(), email));
    }
}
