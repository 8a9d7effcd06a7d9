using System.Globalization;
using LeadsPeer.Core.Agent;

namespace LeadsPeer.Worker.Agent;

/// <summary>
/// Whose subject a turn the knowledge does not answer is: the knowledge's nearness says the topic,
/// and the scope's examples say what kind of message it is (<see cref="ScopeExamples"/>).
/// </summary>
public sealed partial class AgentReplyComposer
{
    /// <summary>
    /// Above this nearness to the knowledge, a turn handed to the team stays with them however
    /// off-topic it reads: its topic is the business's, and declining the business's own customer
    /// is the worse error.
    /// </summary>
    private const double OffTopicScopeCeiling = 0.35;

    /// <summary>
    /// The local answerer's handoff of a turn its knowledge does not answer, read again by the kind
    /// of message: one far from the knowledge that reads as a request off any business's subject
    /// ("convert 50 pounds to kilograms", whose words the handbook's weights share), naming nothing
    /// the business sells or books, is declined rather than paging the team. The other way does not
    /// hold: "do you sell shoes?" reads as much a customer's question as "do you make pizza?", and
    /// only the topic tells them apart. A language model reads both itself.
    /// </summary>
    private async Task<AgentDecision> RescopedAsync(AgentDecision decision, string question, double scope, Func<Task<bool>> speaksOfOwn, CancellationToken cancellationToken) =>
        scopeExamples is not null && embeddings is not null && ai.Value.Provider == AiProvider.Local && decision is AgentDecision.HandOff && scope < OffTopicScopeCeiling
        && await scopeExamples.ReadAsync(await VectorOfAsync(question, cancellationToken), cancellationToken) is { IsOffTopic: true } reading && !await speaksOfOwn()
            ? new AgentDecision.Decline(string.Create(CultureInfo.InvariantCulture,
                $"Outside the business: far from the knowledge (closest {scope:0.00}), and it reads as a request off any business's subject ({reading})."))
            : decision;
}
