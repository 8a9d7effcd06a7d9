namespace LeadsPeer.Api.Sandbox;

public static class SandboxExtensions
{
    /// <summary>The Meta simulator that sandbox numbers talk to, and its webhooks back to this Api.</summary>
    public static IHostApplicationBuilder AddSandboxSimulator(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<SandboxOptions>().BindConfiguration(SandboxOptions.Section);
        builder.Services.AddHttpClient<LoopbackWebhooks>();
        builder.Services.AddSingleton<SimulatedStatusPoster>();
        builder.Services.AddHostedService(services => services.GetRequiredService<SimulatedStatusPoster>());
        return builder;
    }
}
