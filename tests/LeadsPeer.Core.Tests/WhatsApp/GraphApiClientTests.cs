using LeadsPeer.Core.WhatsApp;
using Microsoft.Extensions.Options;

namespace LeadsPeer.Core.Tests.WhatsApp;

public sealed class GraphApiClientTests
{
    [Fact]
    public void Sandbox_connections_talk_to_the_simulator_and_real_ones_to_meta()
    {
        var options = new WhatsAppOptions
        {
            GraphApiBaseUrl = new Uri("https://graph.example/"),
            SimulatorBaseUrl = new Uri("http://127.0.0.1:5301/simulator/"),
        };
        using var http = new HttpClient();
        var client = new GraphApiClient(http, Options.Create(options));

        Assert.Equal(options.SimulatorBaseUrl, client.BaseUrlFor(WhatsAppConnectionKind.Sandbox));
        Assert.Equal(options.GraphApiBaseUrl, client.BaseUrlFor(WhatsAppConnectionKind.EmbeddedSignup));
    }
}
