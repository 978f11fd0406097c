using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Trust.Platform.Contracts;
using Trust.Platform.Hosting.Auth;
using Trust.Platform.TestSupport;
using static Trust.Platform.Accounts.Tests.AccountsWorld;

namespace Trust.Platform.Accounts.Tests;

/// <summary>Post approvals (002 l.141-159): staff submit, the roles the policy names approve or reject, against its categories and tone.</summary>
public sealed class PostApprovalTests(ReplicaServiceHost<AccountsService> host) : IClassFixture<ReplicaServiceHost<AccountsService>>
{
    private static readonly string[] CatalogueTones = ["professional", "respectful", "balanced"];

    private readonly AccountsWorld _world = new(host);

    private async Task<(Guid School, Guid Account, Guid[] Administrators)> AccountAsync(string handle)
    {
        var school = await _world.NewSchoolAsync();
        var (_, account, administrators, _) = await _world.ApprovedAccountAsync(school, handle);
        return (school, account, administrators);
    }

    private static object Draft(string category = "events", string text = "Sports day is on Friday: families are welcome from 1.30pm.") =>
        new { text, category, publishAt = TestClock.Now.AddDays(2), mediaDescription = "The school field, no pupils." };

    private static Task<HttpResponseMessage> SubmitAsync(HttpClient client, Guid account, object draft, string? key = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/v1/accounts/{account}/posts") { Content = JsonContent.Create(draft) };
        if (key is not null)
        {
            request.Headers.Add("Idempotency-Key", key);
        }

        return client.SendAsync(request);
    }

    private static async Task<Guid> SubmittedAsync(HttpClient client, Guid account, object? draft = null)
    {
        var response = await SubmitAsync(client, account, draft ?? Draft());
        await Http.EnsureSuccessAsync(response);
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<Guid>();
    }

    private static Task<HttpResponseMessage> DecideAsync(HttpClient client, Guid post, object decision) =>
        client.PostAsJsonAsync($"/v1/posts/{post}/decision", decision);

    private static object Approval(string? finalText = null, string[]? tones = null) =>
        new { outcome = "approve", finalText, toneConfirmed = tones ?? CatalogueTones };

    [Fact]
    public async Task A_staff_members_post_approved_by_the_marketing_officer_keeps_both_texts_the_decider_and_the_time()
    {
        var (school, account, administrators) = await AccountAsync("PostsFlowNews");
        using var author = _world.Client(_world.Staff(school, administrators[0]));
        var post = await SubmittedAsync(author, account);

        using var mo = _world.Client(_world.MarketingOfficer(school));
        var queue = (await mo.GetFromJsonAsync<JsonObject>($"/v1/posts?accountId={account}&status=pending"))!["items"]!.AsArray();
        queue.Select(p => p!["id"]!.GetValue<Guid>()).Should().Equal(post);
        queue[0]!["toneKeywords"]!.AsArray().Select(t => t!.GetValue<string>()).Should().Equal(CatalogueTones);
        queue[0]!["approverRoles"]!.AsArray().Select(t => t!.GetValue<string>()).Should().Equal(Roles.MarketingOfficer);

        var decided = await DecideAsync(mo, post, Approval("Sports day is on Friday. Families are welcome from 1.30pm."));

        decided.StatusCode.Should().Be(HttpStatusCode.OK);
        var body = (await decided.Content.ReadFromJsonAsync<JsonObject>())!;
        body["status"]!.GetValue<string>().Should().Be("approved");
        body["text"]!.GetValue<string>().Should().Be("Sports day is on Friday: families are welcome from 1.30pm.");
        body["finalText"]!.GetValue<string>().Should().Be("Sports day is on Friday. Families are welcome from 1.30pm.");
        body["edited"]!.GetValue<bool>().Should().BeTrue();
        body["decidedByName"]!.GetValue<string>().Should().Be("Marketing");
        body["decidedAt"]!.GetValue<DateTimeOffset>().Should().BeCloseTo(TestClock.Now, TimeSpan.FromMinutes(5));

        var again = await DecideAsync(mo, post, new { outcome = "reject", reason = "Changed my mind." });
        again.StatusCode.Should().Be(HttpStatusCode.Conflict);
        (await author.GetFromJsonAsync<JsonObject>($"/v1/posts/{post}"))!["status"]!.GetValue<string>().Should().Be("approved");
        (await _world.OutboxAsync(nameof(PostSubmitted), post)).Should().ContainSingle();
        var decidedEvents = await _world.OutboxAsync(nameof(PostDecided), post);
        decidedEvents.Should().ContainSingle().Which.Body["outcome"]!.GetValue<string>().Should().Be("approved");
    }

    [Fact]
    public async Task A_marketing_officer_cannot_approve_their_own_post()
    {
        var (school, account, administrators) = await AccountAsync("PostsOwnNews");
        var both = new DevUser($"mo-staff-{administrators[0]:N}", "Alex Brown", _world.Trust,
            [$"{Roles.Staff}:{school}", $"{Roles.MarketingOfficer}:{school}"], administrators[0]);
        using var client = _world.Client(both);
        var post = await SubmittedAsync(client, account);

        var response = await DecideAsync(client, post, Approval());

        response.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await ProblemAsync(response))["rule"]!.GetValue<string>().Should().Be("posts.no_self_approval");
        using var mo = _world.Client(_world.MarketingOfficer(school));
        (await DecideAsync(mo, post, Approval())).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Only_the_roles_the_schools_who_may_post_names_decide_and_a_new_publication_changes_who()
    {
        var (school, account, administrators) = await AccountAsync("PostsWhoNews");
        using var author = _world.Client(_world.Staff(school, administrators[0]));
        using var head = _world.Client(_world.Head(school));
        using var mo = _world.Client(_world.MarketingOfficer(school));
        var first = await SubmittedAsync(author, account);

        var refused = await DecideAsync(head, first, Approval());
        refused.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await ProblemAsync(refused))["rule"]!.GetValue<string>().Should().Be("accounts.who_may_post");

        var policy = Policy(_world.Trust, school, 2, "1.1");
        policy = policy with { Accounts = policy.Accounts with { WhoMayPost = [Roles.Headteacher] } };
        await _world.Host.PublishAsync(policy);
        await _world.WaitForPolicyAsync(school, policy.PolicyVersionId);

        (await DecideAsync(mo, first, Approval())).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await DecideAsync(head, first, Approval())).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_post_outside_the_allowed_categories_is_refused_and_an_approval_must_confirm_each_tone()
    {
        var (school, account, administrators) = await AccountAsync("PostsRulesNews");
        using var author = _world.Client(_world.Staff(school, administrators[0]));
        using var mo = _world.Client(_world.MarketingOfficer(school));

        var offTopic = await SubmitAsync(author, account, Draft("politics"));
        offTopic.StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity);
        var problem = await ProblemAsync(offTopic);
        problem["rule"]!.GetValue<string>().Should().Be("posts.allowed_categories");
        Keys(problem).Should().Equal("category");

        var post = await SubmittedAsync(author, account, Draft("Achievements"));
        var unconfirmed = await DecideAsync(mo, post, Approval(tones: ["professional"]));
        unconfirmed.StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity);
        var toneProblem = await ProblemAsync(unconfirmed);
        toneProblem["rule"]!.GetValue<string>().Should().Be("posts.tone_keywords");
        toneProblem["errors"]!["toneConfirmed"]![0]!.GetValue<string>().Should().Contain("respectful").And.Contain("balanced");

        (await DecideAsync(mo, post, new { outcome = "reject" })).StatusCode.Should().Be(HttpStatusCode.BadRequest);
        var rejected = await DecideAsync(mo, post, new { outcome = "reject", reason = "Names a pupil in full: use first names only." });
        rejected.StatusCode.Should().Be(HttpStatusCode.OK);
        var body = (await rejected.Content.ReadFromJsonAsync<JsonObject>())!;
        (body["status"]!.GetValue<string>(), body["category"]!.GetValue<string>()).Should().Be(("rejected", "achievements"));
        body["decisionReason"]!.GetValue<string>().Should().StartWith("Names a pupil");
        body["finalText"].Should().BeNull();
        (await mo.GetFromJsonAsync<JsonObject>($"/v1/posts?schoolId={school}&status=rejected"))!["items"]!.AsArray()
            .Select(p => p!["id"]!.GetValue<Guid>()).Should().Equal(post);
    }

    [Fact]
    public async Task Another_schools_staff_get_404_for_the_account_and_its_posts()
    {
        var (school, account, administrators) = await AccountAsync("PostsOtherNews");
        var otherSchool = await _world.NewSchoolAsync();
        using var author = _world.Client(_world.Staff(school, administrators[0]));
        var post = await SubmittedAsync(author, account);
        using var outsider = _world.Client(_world.Staff(otherSchool, Guid.CreateVersion7()));
        using var otherMo = _world.Client(_world.MarketingOfficer(otherSchool));

        (await SubmitAsync(outsider, account, Draft())).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await outsider.GetAsync($"/v1/posts/{post}")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await DecideAsync(otherMo, post, Approval())).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await otherMo.GetFromJsonAsync<JsonObject>("/v1/posts"))!["items"]!.AsArray().Should().BeEmpty();
        // A colleague at the same school who is not an approver sees only their own posts.
        using var colleague = _world.Client(_world.Staff(school, Guid.CreateVersion7()));
        (await colleague.GetAsync($"/v1/posts/{post}")).StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_post_for_a_past_time_is_refused_on_publishAt()
    {
        var (school, account, administrators) = await AccountAsync("PostsPastNews");
        using var author = _world.Client(_world.Staff(school, administrators[0]));

        var response = await SubmitAsync(author, account, new { text = "Too late.", category = "events", publishAt = TestClock.Now.AddHours(-1) });

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        Keys(await ProblemAsync(response)).Should().Equal("publishAt");
    }

    [Fact]
    public async Task A_post_retried_with_the_same_idempotency_key_returns_the_first_and_another_body_is_refused()
    {
        var (school, account, administrators) = await AccountAsync("PostsKeyNews");
        using var author = _world.Client(_world.Staff(school, administrators[0]));
        var key = Guid.NewGuid().ToString();
        var draft = Draft();

        var first = await SubmitAsync(author, account, draft, key);
        var retry = await SubmitAsync(author, account, draft, key);
        var reused = await SubmitAsync(author, account, Draft(text: "Another text."), key);

        first.StatusCode.Should().Be(HttpStatusCode.Created);
        retry.StatusCode.Should().Be(HttpStatusCode.Created);
        retry.Headers.Location.Should().Be(first.Headers.Location);
        reused.StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity);
        Keys(await ProblemAsync(reused)).Should().Equal("Idempotency-Key");
        (await author.GetFromJsonAsync<JsonObject>($"/v1/posts?accountId={account}"))!["items"]!.AsArray().Should().ContainSingle();
    }
}
