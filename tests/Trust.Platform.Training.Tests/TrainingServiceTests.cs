using Trust.Platform.TestSupport;

namespace Trust.Platform.Training.Tests;

public sealed class TrainingServiceTests(ReplicaServiceHost<TrainingService> host)
    : ReplicaServiceTests<TrainingService>(host, "training"), IClassFixture<ReplicaServiceHost<TrainingService>>;
