using Trust.Platform.Hosting;
using Trust.Platform.Hosting.Directory;
using Trust.Platform.Incidents.Infrastructure;

namespace Trust.Platform.Incidents;

public sealed class IncidentsService
{
    public static readonly PlatformServiceInfo Info = new("incidents", IncidentsDbContext.Schema, typeof(IncidentsService).Assembly);

    public static void MapApi(IEndpointRouteBuilder app)
    {
        app.MapSchoolDirectory<IncidentsDbContext>();
    }
}
