using Trust.Platform.TestSupport;

namespace Trust.Platform.Accounts.Tests;

public sealed class AccountsServiceTests(ReplicaServiceHost<AccountsService> host)
    : ReplicaServiceTests<AccountsService>(host, "accounts"), IClassFixture<ReplicaServiceHost<AccountsService>>;
