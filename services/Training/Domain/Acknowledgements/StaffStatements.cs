using Trust.Platform.Contracts;

namespace Trust.Platform.Training.Domain.Acknowledgements;

/// <summary>
/// What a member of staff agrees to when they acknowledge a published version: the school's effective staff rules and
/// journalist rule as first-person statements, so the acknowledgement itself says what was agreed.
/// </summary>
public static class StaffStatements
{
    /// <summary>003: account runners must have "read and understood this policy".</summary>
    public const string ReadAndUnderstood = "I have read and understood this policy.";

    /// <param name="rules">Null when the publication did not carry the staff rules: only the statements it supports are made.</param>
    public static IReadOnlyList<string> For(StaffRuleSettings? rules, string journalistRule)
    {
        var statements = new List<string> { ReadAndUnderstood };
        if (rules is not null)
        {
            // 002 l.167: "Staff members will not access personal social media platforms during school hours."
            statements.Add(rules.PersonalUseInLessons
                ? "I may use my personal social media during lessons."
                : "I will not use my personal social media during lessons.");
            // 000 l.113: "reasonable and appropriate access to private social media sites".
            statements.Add(rules.PersonalUseInBreaks
                ? "I may use my personal social media during breaks, away from pupils, reasonably and appropriately."
                : "I will not use my personal social media during breaks.");
            // 001 l.69, 002 l.169, 004: no current pupil as a friend or follower.
            statements.Add(rules.MayFollowPupils
                ? "I may follow or befriend current pupils on my personal social media accounts."
                : "I will not accept, friend or follow any current pupil on my personal social media accounts.");
            // 001 l.69: "or any ex-pupil of the school under the age of 18".
            statements.Add(rules.MayFollowExPupilsUnder18
                ? "I may follow or befriend ex-pupils under 18 on my personal social media accounts."
                : "I will not accept, friend or follow any ex-pupil of the school under the age of 18 on my personal social media accounts.");
            // 002 l.170: "strongly advised to not 'friend' or 'follow' parents".
            statements.Add(rules.MayFollowParents
                ? "I may follow or befriend pupils' parents on my personal social media accounts."
                : "I will not friend or follow pupils' parents on my personal social media accounts.");
        }

        // 000 l.110 "the Headteacher and chair of governors"; 003 l.98 / 004 l.70 "the school media policy".
        statements.Add(journalistRule == "media_policy"
            ? "If a journalist makes contact about posts on social media, I will follow the school's media policy before responding."
            : "If a journalist makes contact about posts on social media, I will communicate with the headteacher and the chair of governors before responding.");
        return statements;
    }
}
