using LeadsPeer.Api;
using LeadsPeer.Api.Database;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddApiServices();

var app = builder.Build();
if (await app.TryRunCommandAsync(args))
{
    return;
}

app.UseEdgeDefaults();
app.MapDefaultEndpoints();
app.MapApi();

await app.RunAsync();

// Visible to WebApplicationFactory in the tests.
public partial class Program;
