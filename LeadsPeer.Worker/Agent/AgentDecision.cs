using LeadsPeer.Core.Agent;
using LeadsPeer.Core.Conversations;
using LeadsPeer.Core.Knowledge;

namespace LeadsPeer.Worker.Agent;

/// <summary>
/// What the agent decided for a turn (<see cref="TurnOutcome"/>): an answer (with its sources, or
/// none for a greeting), a decline of what is outside the business, or a handoff — each with the
/// reason the operators see.
/// </summary>
public abstract record AgentDecision(string Reason)
{
    public sealed record Answer(string Text, IReadOnlyList<SourceSnapshot> Sources, string Reason = "Answered from the knowledge.") : AgentDecision(Reason)
    {
        public const string GreetingReason = "A greeting.";

        /// <summary>The customer only greeted: the organisation's own greeting, when it has one, is the whole reply.</summary>
        public bool IsGreeting => Reason == GreetingReason;
    }

    /// <summary>The customer is told <paramref name="Text"/> (null: the organisation's decline message); nobody is paged.</summary>
    public sealed record Decline(string Reason, string? Text = null) : AgentDecision(Reason);

    public sealed record HandOff(string Reason) : AgentDecision(Reason);

    /// <summary>
    /// The turn goes on in a guided flow, with what the model's tools gathered (a cart): the flow's
    /// question is the reply. Where the business does not offer the flow, <paramref name="Otherwise"/>
    /// is the decision (null: the team takes the turn).
    /// </summary>
    public sealed record Flow(string FlowName, IReadOnlyDictionary<string, string> Given, string Reason, AgentDecision? Otherwise = null) : AgentDecision(Reason);

    public TurnOutcome Outcome => this switch
    {
        Answer => TurnOutcome.Answer,
        Decline => TurnOutcome.Decline,
        Flow => TurnOutcome.Flow,
        _ => TurnOutcome.HandOff,
    };
}

/// <summary>Writes the reply to a customer turn.</summary>
public interface IReplyComposer
{
    Task<AgentDecision> ComposeAsync(Conversation conversation, IReadOnlyList<Message> turn, AgentSettings settings, CancellationToken cancellationToken);
}
