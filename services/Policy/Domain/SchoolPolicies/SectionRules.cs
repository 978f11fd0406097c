using Trust.Platform.Policy.Documents;

namespace Trust.Platform.Policy.Domain.SchoolPolicies;

public enum SectionAmendOutcome
{
    Amendable,

    /// <summary>The trust's template has no section with this id.</summary>
    NoSuchSection,

    /// <summary>The section is the trust's text: the template marks it neither amendable nor an additions point.</summary>
    Locked,
}

/// <summary>Which sections of the trust's template a school may write its own text for (000/003: one template, some sections the school's).</summary>
public static class SectionRules
{
    /// <summary>The rule a 422 names when a school amends a section the trust keeps.</summary>
    public const string LockedRule = "locked";

    public static SectionAmendOutcome MayAmend(string template, string sectionId) =>
        PolicyDocument.Parse(template).SingleOrDefault(s => s.Id == sectionId) switch
        {
            null => SectionAmendOutcome.NoSuchSection,
            { SchoolMayWrite: false } => SectionAmendOutcome.Locked,
            _ => SectionAmendOutcome.Amendable,
        };
}
