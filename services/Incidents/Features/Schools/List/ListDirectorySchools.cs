using Trust.Platform.Hosting.Directory;
using Trust.Platform.Incidents.Infrastructure;

namespace Trust.Platform.Incidents.Features.Schools.List;

/// <summary>The schools Incidents knows for the caller: the platform's directory list on Incidents's replica.</summary>
public sealed class ListDirectorySchools : DirectorySchoolsEndpoint<IncidentsDbContext>;
