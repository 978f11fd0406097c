using Trust.Platform.Accounts.Model;

namespace Trust.Platform.Accounts.Domain.Posts;

/// <summary>Who is deciding a post: their sign-in, their roster id, and whether they hold a role the school's <c>accounts.who_may_post</c> names.</summary>
public sealed record PostDecider(string Subject, Guid? StaffId, string? Name, bool MayApprove);

/// <summary>What the approver asks for: the outcome, why, the edited text if any, and the tone keywords they confirm the post keeps.</summary>
public sealed record PostVerdict(bool Approve, string? Reason, string? FinalText, IReadOnlyCollection<string> ToneConfirmed);

/// <summary>What a decision on a post comes to, before anything is stored.</summary>
public abstract record PostDecideOutcome
{
    private PostDecideOutcome()
    {
    }

    /// <summary>Approved or rejected already: a post is decided once.</summary>
    public sealed record AlreadyDecided(PostStatus Status) : PostDecideOutcome;

    /// <summary>The decider submitted it (002's separation: the marketing officer approves what staff write).</summary>
    public sealed record SelfApproval : PostDecideOutcome;

    /// <summary>The decider holds none of the roles the school's <c>accounts.who_may_post</c> names.</summary>
    public sealed record NotAnApprover : PostDecideOutcome;

    /// <summary>An approval of a post whose category the school's policy no longer allows.</summary>
    public sealed record CategoryNotAllowed(string Category) : PostDecideOutcome;

    /// <summary>An approval that does not confirm every tone keyword the post was submitted under.</summary>
    public sealed record ToneUnconfirmed(IReadOnlyList<string> Missing) : PostDecideOutcome;

    public sealed record Approved : PostDecideOutcome;

    public sealed record Rejected : PostDecideOutcome;
}

/// <summary>
/// The post approval rules of 002 l.141-159 as pure functions: what a post may be about, who decides it and what a
/// decision needs. A machine cannot tell whether words are neutral or school-friendly, so the tone keywords are a checklist
/// the approver confirms, never a filter that refuses a post (the human decides).
/// </summary>
public static class PostRules
{
    /// <summary>The policy rule a post's category is checked against (002 l.145-148).</summary>
    public const string CategoryRule = "posts.allowed_categories";

    /// <summary>The policy rule an approval's tone confirmation is checked against (002 l.150-157).</summary>
    public const string ToneRule = "posts.tone_keywords";

    /// <summary>The policy rule naming who approves posts (002 l.143: the marketing officer).</summary>
    public const string ApproverRule = "accounts.who_may_post";

    /// <summary>Separation of duties: whoever submitted a post never decides it, whatever roles they hold.</summary>
    public const string NoSelfApprovalRule = "posts.no_self_approval";

    /// <summary>
    /// The longest text a post may have: Instagram's caption limit (2,200 characters), the longest of the platforms 000/002/003
    /// name that limits a caption; an approver shortens it for a platform with less room.
    /// </summary>
    public const int MaxTextLength = 2200;

    /// <summary>The category as the policy spells it, or null when the policy does not allow it (case and outer spaces aside).</summary>
    public static string? AllowedCategory(string category, IReadOnlyCollection<string> allowed) =>
        allowed.FirstOrDefault(a => string.Equals(a.Trim(), category.Trim(), StringComparison.OrdinalIgnoreCase));

    /// <summary>The same person by sign-in or by roster id.</summary>
    public static bool IsSubmitter(Post post, string subject, Guid? staffId) =>
        (post.SubmittedBy.Length > 0 && post.SubmittedBy == subject) || (staffId is { } staff && post.SubmittedByStaffId == staff);

    /// <summary>The post's tone keywords the verdict does not confirm (case aside).</summary>
    public static IReadOnlyList<string> Unconfirmed(Post post, IReadOnlyCollection<string> confirmed) =>
        post.ToneKeywords.Where(k => !confirmed.Any(c => string.Equals(c.Trim(), k, StringComparison.OrdinalIgnoreCase))).ToList();

    /// <summary>What <paramref name="decider"/> giving <paramref name="verdict"/> comes to, in the order a caller is told.</summary>
    public static PostDecideOutcome Decide(Post post, PostDecider decider, PostVerdict verdict, IReadOnlyCollection<string> allowedCategories)
    {
        if (post.Status != PostStatus.Pending)
        {
            return new PostDecideOutcome.AlreadyDecided(post.Status);
        }

        if (IsSubmitter(post, decider.Subject, decider.StaffId))
        {
            return new PostDecideOutcome.SelfApproval();
        }

        if (!decider.MayApprove)
        {
            return new PostDecideOutcome.NotAnApprover();
        }

        if (!verdict.Approve)
        {
            return new PostDecideOutcome.Rejected();
        }

        // The policy may have changed since the post was submitted: what goes out must fit the rules in force now.
        if (AllowedCategory(post.Category, allowedCategories) is null)
        {
            return new PostDecideOutcome.CategoryNotAllowed(post.Category);
        }

        var missing = Unconfirmed(post, verdict.ToneConfirmed);
        return missing.Count > 0 ? new PostDecideOutcome.ToneUnconfirmed(missing) : new PostDecideOutcome.Approved();
    }

    /// <summary>Records an approval or a rejection on the post; any other outcome changes nothing.</summary>
    public static void Apply(Post post, PostDecideOutcome outcome, PostDecider decider, PostVerdict verdict, DateTimeOffset now)
    {
        if (outcome is not (PostDecideOutcome.Approved or PostDecideOutcome.Rejected))
        {
            return;
        }

        var approved = outcome is PostDecideOutcome.Approved;
        post.Status = approved ? PostStatus.Approved : PostStatus.Rejected;
        post.FinalText = approved ? (string.IsNullOrWhiteSpace(verdict.FinalText) ? post.Text : verdict.FinalText.Trim()) : null;
        post.ToneConfirmed = approved ? [.. post.ToneKeywords] : [];
        post.DecisionReason = string.IsNullOrWhiteSpace(verdict.Reason) ? null : verdict.Reason.Trim();
        post.DecidedBy = decider.Subject;
        post.DecidedByName = decider.Name;
        post.DecidedByStaffId = decider.StaffId;
        post.DecidedAt = now;
        post.UpdatedAt = now;
        post.Version++;
    }

    /// <summary>True when the approver published another text than the one submitted.</summary>
    public static bool Edited(Post post) => post.FinalText is not null && post.FinalText != post.Text;
}
