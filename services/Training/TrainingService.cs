using Trust.Platform.Hosting;
using Trust.Platform.Hosting.Directory;
using Trust.Platform.Training.Infrastructure;

namespace Trust.Platform.Training;

public sealed class TrainingService
{
    public static readonly PlatformServiceInfo Info = new("training", TrainingDbContext.Schema, typeof(TrainingService).Assembly);

    public static void MapApi(IEndpointRouteBuilder app)
    {
        app.MapSchoolDirectory<TrainingDbContext>();
    }
}
