using System.Globalization;
using LeadsPeer.Core.Agent;

namespace LeadsPeer.Worker.Agent;

/// <summary>
/// A turn the local answerer's knowledge does not answer may still be a request for a guided flow
/// in words its phrases miss: the flow's examples decide (<see cref="FlowExamples"/>).
/// </summary>
public sealed partial class AgentReplyComposer
{
    /// <summary>A discount the knowledge never mentions is the business's decision, however the words read.</summary>
    private const string DiscountReason = "A discount the knowledge does not mention: the business's people decide.";

    /// <summary>
    /// <paramref name="decision"/>, or — when it declines or hands off what the knowledge does not
    /// answer and the words read as a flow's request — that flow, falling back to the decision where
    /// the business does not offer it. A language model reads such requests with its tools instead.
    /// </summary>
    private async Task<AgentDecision> OrStartFlowAsync(AgentDecision decision, string question, CancellationToken cancellationToken)
    {
        if (flowExamples is null || embeddings is null || ai.Value.Provider != AiProvider.Local
            || decision is not (AgentDecision.Decline or AgentDecision.HandOff) || decision.Reason == DiscountReason)
        {
            return decision;
        }

        return await flowExamples.NearestFlowAsync(await VectorOfAsync(question, cancellationToken), cancellationToken) is { } reading
            ? new AgentDecision.Flow(reading.Flow, new Dictionary<string, string>(), string.Create(CultureInfo.InvariantCulture,
                $"The knowledge does not answer it, and it reads as a request for the {reading.Flow} flow ({reading.Score:0.00} near its examples, {reading.NoFlow:0.00} to no flow's)."), decision)
            : decision;
    }
}
