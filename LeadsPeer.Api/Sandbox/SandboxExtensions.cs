namespace LeadsPeer.Api.Sandbox;

public static class SandboxExtensions
{
    /// <summary>The Meta simulator that sandbox numbers talk to, and its webhooks back to this Api.</summary>
    public static IHostApplicationBuilder AddSandboxSimulator(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<SandboxOptions>().BindConfiguration(SandboxOptions.Section);
#pragma warning disable EXTEXP0001 // RemoveAllResilienceHandlers is marked experimental.
        // This Api calling itself: a retry would only repeat what a simulated phone does anyway, and
        // a retry pending while the host stops would hold its shutdown.
        builder.Services.AddHttpClient<LoopbackWebhooks>().RemoveAllResilienceHandlers();
#pragma warning restore EXTEXP0001
        builder.Services.AddSingleton<SimulatedStatusPoster>();
        builder.Services.AddHostedService(services => services.GetRequiredService<SimulatedStatusPoster>());
        return builder;
    }
}
