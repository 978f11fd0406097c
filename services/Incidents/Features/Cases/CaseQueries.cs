namespace Trust.Platform.Incidents.Features.Cases;

/// <summary>A case by its id in the route (<c>/v1/cases/{id}</c>).</summary>
public class CaseRoute
{
    public Guid Id { get; init; }
}
