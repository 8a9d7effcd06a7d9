using System.ClientModel;
using LeadsPeer.Core.Agent;
using LeadsPeer.Core.Knowledge;
using LeadsPeer.Worker.Knowledge;
using Microsoft.Extensions.AI;
using OpenAI;

namespace LeadsPeer.Worker.Agent;

public static class AiExtensions
{
    /// <summary>
    /// The deployment's models: all-MiniLM-L6-v2 and the extractive answerer in process by default,
    /// or an OpenAI-compatible endpoint's embedding and chat models (<c>AI:Provider=OpenAI</c>).
    /// </summary>
    public static IServiceCollection AddAi(this IServiceCollection services, AiOptions ai)
    {
        services.AddSingleton(new EmbeddingModelInfo(ai.ActiveEmbeddingModel, ai.ActiveEmbeddingDimensions));
        if (ai.Provider == AiProvider.Local)
        {
            services.AddSingleton<IEmbeddingGenerator<string, Embedding<float>>, LocalEmbeddingGenerator>();
            services.AddSingleton<IChatClient, ExtractiveAnswerer>();
            services.AddSingleton<FlowExamples>();
            services.AddSingleton<ScopeExamples>();
            services.AddHostedService<ModelWarmUp>();
            return services;
        }

        if (ai.EmbeddingDimensions is < 1 or > 2000)
        {
            throw new InvalidOperationException("AI:EmbeddingDimensions must be between 1 and 2000 (pgvector's HNSW limit).");
        }

        var client = new OpenAIClient(
            new ApiKeyCredential(string.IsNullOrWhiteSpace(ai.ApiKey) ? "none" : ai.ApiKey),
            new OpenAIClientOptions { Endpoint = ai.Endpoint });
        services.AddSingleton(client.GetEmbeddingClient(ai.EmbeddingModel).AsIEmbeddingGenerator(ai.EmbeddingDimensions));
        services.AddSingleton(client.GetChatClient(ai.ChatModel).AsIChatClient());
        return services;
    }
}
