using LeadsPeer.Core.Agent;
using LeadsPeer.Core.Conversations;
using Microsoft.EntityFrameworkCore;

namespace LeadsPeer.Core.Flows;

/// <summary>How a flow starts: the flows a customer's words ask for, a start with what the agent gathered, a run's first step.</summary>
public sealed partial class GuidedFlows
{
    /// <summary>
    /// The flows a customer's words ask for, in the order they are tried: those whose phrases the
    /// words hold (<see cref="FlowIntents"/>), then, for the local answerer, those whose own reading
    /// of the words says so (<see cref="IGuidedFlow.AskedForAsync"/>: a request naming the catalog's
    /// items), given the words as the common table and the business's synonyms read them ("chakhne"
    /// is "tasting"). A language model reads such a request with its ordering tools, which also read
    /// "two of the big ones".
    /// </summary>
    public async Task<IReadOnlyList<IGuidedFlow>> AskedForAsync(string? text, AgentSettings? settings, CancellationToken cancellationToken)
    {
        var named = FlowIntents.Naming(flows, text, settings).ToList();
        if (named.Count > 0 || string.IsNullOrWhiteSpace(text) || ai.Value.Provider != AiProvider.Local)
        {
            return named;
        }

        var normalised = AgentWords.Normalise(text, settings?.SynonymTable());
        foreach (var flow in flows)
        {
            if (await flow.AskedForAsync(normalised, cancellationToken))
            {
                named.Add(flow);
            }
        }

        return named;
    }

    /// <summary>
    /// The agent hands the turn to a flow with what it gathered (<see cref="FlowContext.Given"/>):
    /// the flow's first step is the turn's one reply, recorded with <paramref name="why"/>; null
    /// when the flow is not offered now.
    /// </summary>
    public async Task<FlowTurn?> StartGivenAsync(
        Conversation conversation, Message last, string flowName, IReadOnlyDictionary<string, string> given, string why, CancellationToken cancellationToken)
    {
        if (Find(flowName) is not { } flow)
        {
            return null;
        }

        var state = await db.FlowStates.SingleOrDefaultAsync(s => s.ConversationId == conversation.Id, cancellationToken);
        if (state is not null && state.LastTurnId == last.Id)
        {
            return new FlowTurn.Answered(); // a retried run: this turn already started it
        }

        return await StartAsync(conversation, last, flow, null, cancellationToken, state, given, why);
    }

    /// <summary>
    /// The flow's first step, or null when the flow is not offered; <paramref name="replacing"/> is
    /// the conversation's earlier flow, whose row (one per conversation) the new one takes over.
    /// </summary>
    private async Task<FlowTurn?> StartAsync(
        Conversation conversation, Message last, IGuidedFlow flow, string? preface, CancellationToken cancellationToken, FlowState? replacing = null,
        IReadOnlyDictionary<string, string>? given = null, string? why = null)
    {
        var earlier = replacing is not null && replacing.Flow == flow.Name ? Read(replacing) : null;
        var first = await flow.StartAsync(new FlowContext(conversation, last, earlier, given), cancellationToken);
        return first is null ? null : await BeginAsync(conversation, last, flow, first, preface, cancellationToken, replacing, why);
    }

    /// <summary>A run's first step: its question, with the flow's row (new, or taken over from <paramref name="replacing"/>), or what it says at once.</summary>
    private async Task<FlowTurn> BeginAsync(
        Conversation conversation, Message last, IGuidedFlow flow, FlowStep first, string? preface, CancellationToken cancellationToken, FlowState? replacing, string? why = null)
    {
        if (first is not FlowStep.Ask ask)
        {
            // Done at once (the customer's words were the whole answer).
            return await ApplyAsync(conversation, last, replacing, flow, first, preface, cancellationToken);
        }

        var now = time.GetUtcNow();
        var state = replacing ?? db.FlowStates.Add(new FlowState
        {
            TenantId = conversation.TenantId,
            ConversationId = conversation.Id,
            Flow = flow.Name,
            Step = ask.Step,
        }).Entity;
        state.Flow = flow.Name;
        state.StartedAt = now;
        LogStarted(logger, flow.Name, conversation.Id);
        return await SendQuestionAsync(conversation, last, state, flow, ask, preface, cancellationToken, why);
    }
}
