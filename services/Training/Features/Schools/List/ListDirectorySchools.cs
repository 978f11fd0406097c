using Trust.Platform.Hosting.Directory;
using Trust.Platform.Training.Infrastructure;

namespace Trust.Platform.Training.Features.Schools.List;

/// <summary>The schools Training knows for the caller: the platform's directory list on Training's replica.</summary>
public sealed class ListDirectorySchools : DirectorySchoolsEndpoint<TrainingDbContext>;
