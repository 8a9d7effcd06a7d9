using Microsoft.Extensions.DependencyInjection;

namespace LeadsPeer.Core.Conversations;

public static class ConversationsExtensions
{
    /// <summary>The operators' conversation use cases (hosts that serve operators).</summary>
    public static IServiceCollection AddConversations(this IServiceCollection services)
    {
        services.AddScoped<ConversationQueries>();
        services.AddScoped<OperatorActions>();
        return services;
    }
}
