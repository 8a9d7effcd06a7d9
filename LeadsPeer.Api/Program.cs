using LeadsPeer.Api;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddApiServices();

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapApi();

app.Run();

// Visible to WebApplicationFactory in the tests.
public partial class Program;
