using Microsoft.Extensions.Options;
using Trust.Platform.Hosting;
using Trust.Platform.Hosting.Caching;
using Trust.Platform.Hosting.Directory;
using Trust.Platform.Incidents.Features.Audit;
using Trust.Platform.Incidents.Features.Cases;
using Trust.Platform.Incidents.Features.Cases.AddNote;
using Trust.Platform.Incidents.Features.Cases.Approve;
using Trust.Platform.Incidents.Features.Cases.Close;
using Trust.Platform.Incidents.Features.Cases.DueForReview;
using Trust.Platform.Incidents.Features.Cases.Escalate;
using Trust.Platform.Incidents.Features.Cases.Export;
using Trust.Platform.Incidents.Features.Cases.Get;
using Trust.Platform.Incidents.Features.Cases.LegalHold;
using Trust.Platform.Incidents.Features.Cases.List;
using Trust.Platform.Incidents.Features.Cases.ListOverdue;
using Trust.Platform.Incidents.Features.Cases.Report;
using Trust.Platform.Incidents.Features.Cases.Reroute;
using Trust.Platform.Incidents.Features.Cases.VerifyTimeline;
using Trust.Platform.Incidents.Features.Evidence.Download;
using Trust.Platform.Incidents.Features.Evidence.Upload;
using Trust.Platform.Incidents.Features.Overdue;
using Trust.Platform.Incidents.Features.SchoolPolicies;
using Trust.Platform.Incidents.Features.SchoolPolicies.Get;
using Trust.Platform.Incidents.Infrastructure;

namespace Trust.Platform.Incidents;

/// <summary>The Incidents service: incident case management (issue 5).</summary>
public sealed class IncidentsService
{
    public static readonly PlatformServiceInfo Info = new("incidents", IncidentsDbContext.Schema, typeof(IncidentsService).Assembly);

    public static void AddServices(WebApplicationBuilder builder)
    {
        // Evidence settings are checked when the service starts (a folder outside the build output; a key outside Development).
        builder.Services.AddOptions<EvidenceOptions>().Bind(builder.Configuration.GetSection("Evidence")).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<EvidenceOptions>, EvidenceOptionsValidator>();
        builder.Services.AddSingleton<IEvidenceStorage, LocalFolderEvidenceStorage>();
        builder.Services.AddOptions<OverdueOptions>().Bind(builder.Configuration.GetSection("Incidents:Overdue"));
        builder.Services.AddSingleton<OverdueScanner>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<OverdueScanner>());
        builder.Services.AddTenantReadCache<EffectivePolicy>(SchoolPolicyView.CacheLifetime);
    }

    public static void MapApi(IEndpointRouteBuilder app)
    {
        app.MapSchoolDirectory<IncidentsDbContext>();
        ReportCase.Map(app);
        ListCases.Map(app);
        ListOverdueCases.Map(app);
        GetCase.Map(app);
        GetTimeline.Map(app);
        VerifyTimeline.Map(app);
        AddNote.Map(app);
        EscalateCase.Map(app);
        CloseCase.Map(app);
        DecideBlockedContentRequest.Map(app);
        ExportCase.Map(app);
        UploadEvidence.Map(app);
        DownloadEvidence.Map(app);
        SetLegalHold.Map(app);
        RerouteCase.Map(app);
        ListDueForReview.Map(app);
        ListAudit.Map(app);
        GetIncidentPolicy.Map(app);
    }
}
