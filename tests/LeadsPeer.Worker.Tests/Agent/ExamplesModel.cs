using LeadsPeer.Worker.Agent;
using LeadsPeer.Worker.Knowledge;
using Microsoft.Extensions.Logging.Abstractions;

namespace LeadsPeer.Worker.Tests.Agent;

/// <summary>The real local sentence model, loaded once for a test class, with the flows' and the scope's example messages it embeds.</summary>
public sealed class ExamplesModel : IDisposable
{
    private readonly LocalEmbeddingGenerator _model = new();

    public ExamplesModel()
    {
        Flows = new FlowExamples(_model, NullLogger<FlowExamples>.Instance);
        Scope = new ScopeExamples(_model, NullLogger<ScopeExamples>.Instance);
    }

    public FlowExamples Flows { get; }

    public ScopeExamples Scope { get; }

    public void Dispose() => _model.Dispose();
}
