namespace Trust.Platform.Incidents.Domain.Cases;

/// <summary>Where a case is in its life. Stored as today's text ("open", "closed") through an EF value conversion.</summary>
public enum CaseStatus
{
    Open,
    Closed,
}

public static class CaseStatusNames
{
    public static string ToName(CaseStatus status) => status switch
    {
        CaseStatus.Closed => "closed",
        _ => "open",
    };

    public static CaseStatus FromName(string name) => name == "closed" ? CaseStatus.Closed : CaseStatus.Open;
}
