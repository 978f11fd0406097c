using Trust.Platform.Hosting;
using Trust.Platform.Incidents;
using Trust.Platform.Incidents.Features.Evidence.RotateKey;
using Trust.Platform.Incidents.Infrastructure;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults<IncidentsDbContext>(IncidentsService.Info);
IncidentsService.AddServices(builder);

var app = builder.Build();
app.MapServiceDefaults();

if (EvidenceKeyRotation.IsVerb(args))
{
    return await EvidenceKeyRotation.RunAsync(app.Services, CancellationToken.None);
}

return await app.RunPlatformAsync(args);
