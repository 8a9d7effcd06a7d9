using LeadsPeer.Core.WhatsApp;

namespace LeadsPeer.Api.Sandbox;

public static class SandboxExtensions
{
    /// <summary>The Meta simulator that sandbox numbers talk to, and its webhooks back to this Api.</summary>
    public static IHostApplicationBuilder AddSandboxSimulator(this IHostApplicationBuilder builder)
    {
#pragma warning disable EXTEXP0001 // RemoveAllResilienceHandlers is marked experimental.
        // This Api calling itself: a retry would only repeat what a simulated phone does anyway, and
        // a retry pending while the host stops would hold its shutdown.
        builder.Services.AddSandboxPhone<LoopbackWebhookAddress>().RemoveAllResilienceHandlers();
#pragma warning restore EXTEXP0001
        builder.Services.AddSingleton<SimulatedStatusPoster>();
        builder.Services.AddHostedService(services => services.GetRequiredService<SimulatedStatusPoster>());
        return builder;
    }
}
