using Trust.Platform.Hosting.Directory;
using Trust.Platform.Accounts.Infrastructure;

namespace Trust.Platform.Accounts.Features.Schools.List;

/// <summary>The schools Accounts knows for the caller: the platform's directory list on Accounts's replica.</summary>
public sealed class ListDirectorySchools : DirectorySchoolsEndpoint<AccountsDbContext>;
