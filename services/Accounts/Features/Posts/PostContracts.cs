using Trust.Platform.Accounts.Domain.Posts;
using Trust.Platform.Accounts.Model;

namespace Trust.Platform.Accounts.Features.Posts;

/// <summary>
/// A draft post and its decision. <see cref="Text"/> is what the member of staff submitted and never changes;
/// <see cref="FinalText"/> is what was approved for publishing (the approver's edit, or the same text).
/// </summary>
/// <param name="ApproverRoles">The roles that may decide it (the school's accounts.who_may_post when it was submitted).</param>
/// <param name="ToneKeywords">The tone the approver confirms the post keeps (posts.tone_keywords when it was submitted).</param>
/// <param name="Edited">True when the approver changed the text.</param>
/// <param name="ToneConfirmed">The tone keywords the approver confirmed (on approval, all of them).</param>
public sealed record PostResponse(
    Guid Id,
    Guid SchoolId,
    Guid AccountId,
    PostStatus Status,
    string Text,
    string Category,
    DateTimeOffset PublishAt,
    string? MediaDescription,
    string? SubmittedByName,
    Guid? SubmittedByStaffId,
    DateTimeOffset SubmittedAt,
    IReadOnlyList<string> ApproverRoles,
    IReadOnlyList<string> ToneKeywords,
    string PolicyVersion,
    string? FinalText,
    bool Edited,
    IReadOnlyList<string> ToneConfirmed,
    string? DecisionReason,
    string? DecidedByName,
    Guid? DecidedByStaffId,
    DateTimeOffset? DecidedAt,
    int Version)
{
    public static PostResponse From(Post p) => new(
        p.Id, p.SchoolId, p.AccountId, p.Status, p.Text, p.Category, p.PublishAt, p.MediaDescription, p.SubmittedByName, p.SubmittedByStaffId,
        p.CreatedAt, p.ApproverRoles, p.ToneKeywords, p.PolicyVersion, p.FinalText, PostRules.Edited(p), p.ToneConfirmed, p.DecisionReason,
        p.DecidedByName, p.DecidedByStaffId, p.DecidedAt, p.Version);
}

/// <summary>
/// The contract's examples: a post for Mellers Primary School's (003) computing account, in the catalogue's categories (002
/// l.145-148) and 003's tone ("key words to consider when composing messages", l.134-139).
/// </summary>
internal static class PostExamples
{
    private static readonly DateTimeOffset Submitted = new(2026, 12, 7, 15, 10, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Publish = new(2026, 12, 11, 16, 0, 0, TimeSpan.Zero);

    public const string Text = "Our Year 6 coders finished their Scratch games this week: well done to everyone who took part!";

    public static readonly PostResponse Pending = new(
        Guid.Parse("0193f1a0-0000-7000-8000-00000000e001"), Applications.ApplicationExamples.Mellers, Accounts.AccountExamples.Live.Id,
        PostStatus.Pending, Text, "achievements", Publish, "A screenshot of a game's title screen (no pupils).",
        "Computing Lead", Applications.ApplicationExamples.ComputingLead, Submitted, ["marketing_officer"], ["engaging", "conversational", "informative", "friendly"],
        "1.0", null, false, [], null, null, null, null, 1);

    public static readonly PostResponse Approved = Pending with
    {
        Status = PostStatus.Approved,
        FinalText = "Our Year 6 coders finished their Scratch games this week. Well done to everyone who took part!",
        Edited = true,
        ToneConfirmed = Pending.ToneKeywords,
        DecidedByName = "Marketing Officer",
        DecidedAt = Submitted.AddHours(20),
        Version = 2,
    };
}
