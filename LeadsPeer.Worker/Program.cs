using LeadsPeer.Worker;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddWorkerServices();

var app = builder.Build();

app.MapDefaultEndpoints();

app.Run();

// Visible to WebApplicationFactory in the tests.
public partial class Program;
