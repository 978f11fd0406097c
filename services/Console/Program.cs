using Trust.Platform.Console;

var builder = WebApplication.CreateBuilder(args);
ConsoleService.AddConsole(builder);

var app = builder.Build();
ConsoleService.MapConsole(app);
app.Run();
