using Trust.Platform.Hosting;
using Trust.Platform.Training;
using Trust.Platform.Training.Infrastructure;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults<TrainingDbContext>(TrainingService.Info);
TrainingService.AddServices(builder.Services, builder.Configuration);

var app = builder.Build();
app.MapServiceDefaults();

return await app.RunPlatformAsync(args);
