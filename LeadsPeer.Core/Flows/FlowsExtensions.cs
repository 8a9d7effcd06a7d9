using Microsoft.Extensions.DependencyInjection;

namespace LeadsPeer.Core.Flows;

public static class FlowsExtensions
{
    /// <summary>The guided-flow engine and the flows this product ships; features add theirs as more <see cref="IGuidedFlow"/> registrations.</summary>
    public static IServiceCollection AddGuidedFlows(this IServiceCollection services)
    {
        services.AddScoped<GuidedFlows>();
        services.AddSingleton<IGuidedFlow, TalkToPersonFlow>();
        return services;
    }
}
