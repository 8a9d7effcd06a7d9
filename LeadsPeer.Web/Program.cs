using LeadsPeer.Web;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddWebServices();

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapWeb();

app.Run();

// Visible to WebApplicationFactory in the tests.
public partial class Program;
