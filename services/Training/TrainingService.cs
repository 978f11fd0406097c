using Trust.Platform.Hosting;
using Trust.Platform.Hosting.Directory;
using Trust.Platform.Training.Features.Roster.Get;
using Trust.Platform.Training.Features.Roster.Jobs;
using Trust.Platform.Training.Features.Roster.List;
using Trust.Platform.Training.Features.Roster.Sync;
using Trust.Platform.Training.Infrastructure;

namespace Trust.Platform.Training;

/// <summary>The Training service (issue 6): roster synced from MIS systems, requirements, completions, acknowledgements, cohort sessions, compliance.</summary>
public sealed class TrainingService
{
    public static readonly PlatformServiceInfo Info = new("training", TrainingDbContext.Schema, typeof(TrainingService).Assembly);

    public static void MapApi(IEndpointRouteBuilder app)
    {
        app.MapSchoolDirectory<TrainingDbContext>();
        SyncRoster.Map(app);
        GetRosterJob.Map(app);
        ListPeople.Map(app);
        GetPerson.Map(app);
    }
}
