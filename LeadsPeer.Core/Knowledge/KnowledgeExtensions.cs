using LeadsPeer.Core.Agent;
using Microsoft.Extensions.DependencyInjection;

namespace LeadsPeer.Core.Knowledge;

public static class KnowledgeExtensions
{
    /// <summary>The knowledge and agent-settings use cases (hosts that serve business owners).</summary>
    public static IServiceCollection AddKnowledge(this IServiceCollection services)
    {
        services.AddOptions<KnowledgeOptions>().BindConfiguration(KnowledgeOptions.Section);
        services.AddScoped<KnowledgeService>();
        services.AddScoped<AgentSettingsService>();
        return services;
    }
}
