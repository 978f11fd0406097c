using Trust.Platform.TestSupport;

namespace Trust.Platform.Incidents.Tests;

public sealed class IncidentsServiceTests(ReplicaServiceHost<IncidentsService> host)
    : ReplicaServiceTests<IncidentsService>(host, "incidents"), IClassFixture<ReplicaServiceHost<IncidentsService>>;
