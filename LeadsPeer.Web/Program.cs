using LeadsPeer.Web;

var builder = WebApplication.CreateBuilder(args);
// Development does this by itself: the build output (not a publish) serves MudBlazor's and the
// framework's files from their packages in any environment, so a Release build runs as in
// production (benchmarks). A published app has no such manifest and is not affected.
builder.WebHost.UseStaticWebAssets();

builder.AddServiceDefaults();
builder.AddWebServices();

var app = builder.Build();

app.UseEdgeDefaults();
app.MapDefaultEndpoints();
app.MapWeb();

app.Run();

// Visible to WebApplicationFactory in the tests.
public partial class Program;
