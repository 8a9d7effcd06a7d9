using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace LeadsPeer.Benchmarks;

/// <summary>The HTTP ceiling on this machine: Kestrel reading each request body and answering 200, nothing else.</summary>
public sealed class BareKestrel : IAsyncDisposable
{
    private readonly WebApplication _app;

    private BareKestrel(WebApplication app, Uri url)
    {
        _app = app;
        Url = url;
    }

    public Uri Url { get; }

    public static async Task<BareKestrel> StartAsync()
    {
        var port = LeadsPeer.Testing.Ports.Free();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.MapPost("/webhooks/whatsapp", async (HttpRequest request) =>
        {
            var buffer = new byte[16 * 1024];
            while (await request.Body.ReadAsync(buffer) > 0)
            {
            }

            return Results.Ok();
        });
        await app.StartAsync();
        return new BareKestrel(app, new Uri($"http://127.0.0.1:{port}/webhooks/whatsapp"));
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
