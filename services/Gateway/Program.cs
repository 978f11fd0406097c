using Trust.Platform.Gateway;

var builder = WebApplication.CreateBuilder(args);
GatewayService.AddGateway(builder);

var app = builder.Build();
GatewayService.MapGateway(app);
app.Run();
