using Microsoft.Extensions.AI;

namespace LeadsPeer.Worker.Agent;

/// <summary>
/// Loads the local embedding model and runs it once while the Worker starts, before any work is
/// taken: the first customer's reply does not wait for the model to load.
/// </summary>
public sealed class ModelWarmUp(IEmbeddingGenerator<string, Embedding<float>> embeddings) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken) =>
        await embeddings.GenerateAsync(["How long is the warranty?"], cancellationToken: cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
