using Trust.Platform.Hosting;
using Trust.Platform.Hosting.Directory;
using Trust.Platform.Training.Features.Acknowledgements.Create;
using Trust.Platform.Training.Features.Acknowledgements.List;
using Trust.Platform.Training.Features.Completions.Expiry;
using Trust.Platform.Training.Features.Completions.List;
using Trust.Platform.Training.Features.Completions.Record;
using Trust.Platform.Training.Features.Compliance.Export;
using Trust.Platform.Training.Features.Compliance.School;
using Trust.Platform.Training.Features.Compliance.Trust;
using Trust.Platform.Training.Features.Courses.Create;
using Trust.Platform.Training.Features.Courses.List;
using Trust.Platform.Training.Features.Policy.Get;
using Trust.Platform.Training.Features.Requirements.Person;
using Trust.Platform.Training.Features.Roster.Get;
using Trust.Platform.Training.Features.Roster.Jobs;
using Trust.Platform.Training.Features.Roster.List;
using Trust.Platform.Training.Features.Roster.Sync;
using Trust.Platform.Training.Features.Sessions.Create;
using Trust.Platform.Training.Features.Sessions.List;
using Trust.Platform.Training.Infrastructure;

namespace Trust.Platform.Training;

/// <summary>The Training service (issue 6): roster synced from MIS systems, requirements, completions, acknowledgements, cohort sessions, compliance.</summary>
public sealed class TrainingService
{
    public static readonly PlatformServiceInfo Info = new("training", TrainingDbContext.Schema, typeof(TrainingService).Assembly);

    public static void AddServices(IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<ExpirySignal>();
        services.Configure<ExpiryOptions>(configuration.GetSection("Training:Expiry"));
        services.AddHostedService<TrainingExpiryService>();
    }

    public static void MapApi(IEndpointRouteBuilder app)
    {
        app.MapSchoolDirectory<TrainingDbContext>();
        SyncRoster.Map(app);
        GetRosterJob.Map(app);
        ListPeople.Map(app);
        GetPerson.Map(app);
        GetTrainingPolicy.Map(app);
        ListPersonRequirements.Map(app);
        CreateCourse.Map(app);
        ListCourses.Map(app);
        RecordCompletion.Map(app);
        ListCompletions.Map(app);
        AcknowledgePolicy.Map(app);
        ListAcknowledgements.Map(app);
        RecordSession.Map(app);
        ListSessions.Map(app);
        GetSchoolCompliance.Map(app);
        GetTrustCompliance.Map(app);
        ExportCompliance.Map(app);
    }
}
