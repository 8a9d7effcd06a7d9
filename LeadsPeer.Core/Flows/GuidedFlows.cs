using System.Text.Json;
using LeadsPeer.Core.Agent;
using LeadsPeer.Core.Conversations;
using LeadsPeer.Core.Conversations.Interactive;
using LeadsPeer.Core.Data;
using LeadsPeer.Core.WhatsApp;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LeadsPeer.Core.Flows;

/// <summary>What a guided flow made of a customer's turn.</summary>
public abstract record FlowTurn
{
    private FlowTurn()
    {
    }

    /// <summary>The flow answered the turn (its question or closing words are queued).</summary>
    public sealed record Answered : FlowTurn;

    /// <summary>The flow ended by handing the conversation to the team, for this reason; the caller hands it over.</summary>
    public sealed record HandOff(string Reason) : FlowTurn;
}

/// <summary>
/// The one owner of <see cref="FlowState"/>: starts a flow when a customer's words name it,
/// moves it on with their taps and typed answers, and ends it — finished, handed to the team,
/// left ("cancel", "menu"), or lapsed after <see cref="ChannelOptions.FlowStepTimeout"/>. A
/// step's change is saved in the same transaction as the message it sends, and that message is
/// the turn's one reply (<see cref="Outbox"/>: unique on the turn), so a retried turn neither
/// moves the flow twice nor asks twice.
/// </summary>
public sealed partial class GuidedFlows(
    LeadsPeerDbContext db,
    Outbox outbox,
    Work.WorkRows work,
    TapRouter taps,
    IEnumerable<IGuidedFlow> flows,
    IOptions<ChannelOptions> channel,
    IOptions<AiOptions> ai,
    TimeProvider time,
    ILogger<GuidedFlows> logger)
{
    /// <summary>Messages a flow asks with are registered as <c>flow:{name}:{step}</c>, so a tap names the flow and the step it answers.</summary>
    public const string AskedByPrefix = "flow:";

    public const string LeftText = "OK, I've stopped that. What else can I help you with?";
    public const string ExpiredChoiceText = "That choice is from an earlier question, so let's start again.";
    public const string NeedsChoiceText = "I need you to tap one of the options (or write \"cancel\").";
    public const string LapsedText = "I haven't heard back, so I've closed this for now. Just write to me whenever you'd like to pick it up again.";

    /// <summary>
    /// The flow's part in a turn: null when the turn is not a flow's (the agent answers it). A turn
    /// is a flow's when it taps a flow's question, when a flow is waiting for an answer, or when
    /// its words name a flow (its own phrases and the business's, read with the business's synonyms: <paramref name="settings"/>).
    /// </summary>
    public async Task<FlowTurn?> TakeTurnAsync(Conversation conversation, Message last, CancellationToken cancellationToken, AgentSettings? settings = null)
    {
        var now = time.GetUtcNow();
        var state = await db.FlowStates.SingleOrDefaultAsync(s => s.ConversationId == conversation.Id, cancellationToken);
        if (state is not null && state.LastTurnId == last.Id)
        {
            return new FlowTurn.Answered(); // this turn already moved the flow (a retried run)
        }

        if (state is not null && state.ExpiresAt <= now)
        {
            // Unanswered too long: the flow ends quietly; what the customer writes now is read afresh.
            LogLapsed(logger, state.Flow, conversation.Id);
            db.FlowStates.Remove(state);
            await db.SaveChangesAsync(cancellationToken);
            state = null;
        }

        var tapped = await TappedAsync(conversation, last, cancellationToken);
        if (tapped is { } tap)
        {
            if (Find(tap.Flow) is not { } tappedFlow)
            {
                return null; // a flow this process no longer has: its title is words for the agent
            }

            if (state is null || state.Flow != tap.Flow || state.Step != tap.Step)
            {
                if (await tappedFlow.StandingTapAsync(new FlowContext(conversation, last), tap.Step, tap.Choice.Id, cancellationToken) is { } standing)
                {
                    // A question takes over the conversation's flow row; anything else leaves a flow in progress as it was.
                    return await BeginAsync(conversation, last, tappedFlow, standing, null, cancellationToken, standing is FlowStep.Ask ? state : null);
                }

                // A button of a flow that ended or lapsed, or of an earlier question: the flow may
                // know what it meant (an order already placed); otherwise start again, politely.
                if (await tappedFlow.StaleTapAsync(new FlowContext(conversation, last), tap.Step, tap.Choice.Id, cancellationToken) is { } said)
                {
                    return await SendTextAsync(conversation, last, said, $"A tap on an earlier question of the {tappedFlow.Name} flow.", cancellationToken);
                }

                return await StartAsync(conversation, last, tappedFlow, ExpiredChoiceText, cancellationToken, state)
                    ?? await SendTextAsync(conversation, last, ExpiredChoiceText, $"A tap on the {tappedFlow.Name} flow, which is not offered now.", cancellationToken);
            }

            return await AdvanceAsync(conversation, last, state, tappedFlow, new FlowAnswer(tap.Choice.Id, tap.Choice.Title), cancellationToken);
        }

        if (flows.FirstOrDefault(f => f.StartsOn(last)) is { } starter
            && await StartAsync(conversation, last, starter, null, cancellationToken, state) is { } startedOn)
        {
            return startedOn;
        }

        if (state is not null)
        {
            if (Find(state.Flow) is not { } current)
            {
                db.FlowStates.Remove(state);
                await db.SaveChangesAsync(cancellationToken);
                return null;
            }

            if (last.Text?.Trim().Trim('.', '!') is { } word && word.Equals("agent", StringComparison.OrdinalIgnoreCase))
            {
                return new FlowTurn.HandOff("The customer asked for a person during a guided flow.");
            }

            if (channel.Value.LeavesFlow(last.Text))
            {
                db.FlowStates.Remove(state);
                return await SendTextAsync(conversation, last, LeftText, "The customer left the flow.", cancellationToken);
            }

            if (last.Type != "text" || !HasWords(last.Text))
            {
                // A photo, a voice note or an emoji while a question waits: say what it needs.
                return await AskAgainAsync(conversation, last, state, current, NeedsChoiceText, cancellationToken);
            }

            return await AdvanceAsync(conversation, last, state, current, new FlowAnswer(null, last.Text), cancellationToken);
        }

        foreach (var named in last.Type == "text" ? await AskedForAsync(last.Text, settings, cancellationToken) : [])
        {
            if (await StartAsync(conversation, last, named, null, cancellationToken) is { } started)
            {
                return started;
            }
        }

        return null;
    }

    /// <summary>
    /// The step's time ran out with no answer: the flow ends, and the customer is told, in one
    /// transaction with the removal (so a rerun finds nothing left to say). Nothing is said while
    /// an operator holds the conversation (the flow is paused; the next turn after the handback
    /// finds it lapsed) or once the window has closed (the flow just ends). False when there was
    /// nothing to end: the flow moved on, finished, or was answered in time.
    /// </summary>
    public async Task<bool> LapseAsync(Conversation conversation, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var state = await db.FlowStates.SingleOrDefaultAsync(s => s.ConversationId == conversation.Id, cancellationToken);
        if (state is null || state.ExpiresAt > now || !ConversationStateMachine.AiMaySpeak(conversation.State))
        {
            return false;
        }

        LogLapsed(logger, state.Flow, conversation.Id);
        db.FlowStates.Remove(state);
        if (!Window.IsOpen(conversation, now))
        {
            await db.SaveChangesAsync(cancellationToken);
            return true;
        }

        var told = await outbox.EnqueueTextAsync(conversation, LapsedText, MessageAuthor.Agent, authorUserId: null, replyToTurn: null, cancellationToken,
            outcome: TurnOutcome.Flow, outcomeReason: $"The {state.Flow} flow's question went unanswered for {channel.Value.FlowStepTimeout.TotalMinutes:0} minutes: the flow ended.");
        if (!told.Succeeded)
        {
            // An operator took the conversation meanwhile: the flow stays, paused with it.
            LogNotQueued(logger, conversation.Id, told.Error!.Title);
            return false;
        }

        return true;
    }

    /// <summary>The conversation leaves its flow (handed to the team another way): nothing waits for the customer any more.</summary>
    public Task EndAsync(Guid conversationId, CancellationToken cancellationToken) =>
        db.FlowStates.Where(s => s.ConversationId == conversationId).ExecuteDeleteAsync(cancellationToken);

    private async Task<FlowTurn> AdvanceAsync(Conversation conversation, Message last, FlowState state, IGuidedFlow flow, FlowAnswer answer, CancellationToken cancellationToken)
    {
        var step = await flow.AnswerAsync(new FlowContext(conversation, last), state.Step, answer, Read(state), cancellationToken);
        return await ApplyAsync(conversation, last, state, flow, step, null, cancellationToken);
    }

    /// <summary>Does what a step says; <paramref name="state"/> is null only for a flow whose first step is not a question.</summary>
    private async Task<FlowTurn> ApplyAsync(
        Conversation conversation, Message last, FlowState? state, IGuidedFlow flow, FlowStep step, string? preface, CancellationToken cancellationToken)
    {
        switch (step)
        {
            case FlowStep.Ask ask when state is not null:
                return await SendQuestionAsync(conversation, last, state, flow, ask, preface, cancellationToken);
            case FlowStep.Again again when state is not null:
                return await AskAgainAsync(conversation, last, state, flow, again.Text, cancellationToken);
            case FlowStep.Finish finish:
                if (state is not null)
                {
                    db.FlowStates.Remove(state);
                }

                return await SendTextAsync(conversation, last, preface is null ? finish.Text : $"{preface}\n\n{finish.Text}", $"The {flow.Name} flow finished.", cancellationToken);
            case FlowStep.HandOff handOff:
                // The caller hands the conversation over, and ends the flow as it does (EndAsync).
                return new FlowTurn.HandOff(handOff.Reason);
            default:
                throw new InvalidOperationException($"The {flow.Name} flow answered with a step it cannot take here.");
        }
    }

    private async Task<FlowTurn> AskAgainAsync(Conversation conversation, Message last, FlowState state, IGuidedFlow flow, string text, CancellationToken cancellationToken) =>
        await SendQuestionAsync(conversation, last, state, flow, await flow.QuestionAsync(new FlowContext(conversation, last), state.Step, Read(state), cancellationToken), text, cancellationToken);

    private async Task<FlowTurn> SendQuestionAsync(
        Conversation conversation, Message last, FlowState state, IGuidedFlow flow, FlowStep.Ask ask, string? preface, CancellationToken cancellationToken, string? why = null)
    {
        var now = time.GetUtcNow();
        state.Step = ask.Step;
        state.Data = JsonSerializer.Serialize(ask.Data);
        state.LastTurnId = last.Id;
        state.UpdatedAt = now;
        state.ExpiresAt = now + channel.Value.FlowStepTimeout;
        var question = preface is null ? ask.Question : ask.Question with { Body = $"{preface}\n\n{ask.Question.Body}" };
        // The step's end is armed with the question, in its transaction: unanswered, the flow ends politely (LapseAsync).
        var queued = await outbox.EnqueueInteractiveAsync(conversation, question, MessageAuthor.Agent, authorUserId: null, replyToTurn: last.Id,
            askedBy: $"{AskedByPrefix}{flow.Name}:{ask.Step}", cancellationToken, outcome: TurnOutcome.Flow, outcomeReason: $"{(why is null ? "" : $"{why} ")}The {flow.Name} flow asked ({ask.Step}).",
            commitsWith: async token =>
            {
                await work.ArmAsync(db, Work.WorkRequest.FlowLapse(conversation.TenantId, conversation.Id, state.ExpiresAt), token);
                return true;
            });
        if (!queued.Succeeded)
        {
            LogNotQueued(logger, conversation.Id, queued.Error!.Title);
        }

        return new FlowTurn.Answered();
    }

    private async Task<FlowTurn> SendTextAsync(Conversation conversation, Message last, string text, string reason, CancellationToken cancellationToken)
    {
        var queued = await outbox.EnqueueTextAsync(conversation, text, MessageAuthor.Agent, authorUserId: null, replyToTurn: last.Id, cancellationToken,
            outcome: TurnOutcome.Flow, outcomeReason: reason);
        if (!queued.Succeeded)
        {
            LogNotQueued(logger, conversation.Id, queued.Error!.Title);
        }

        return new FlowTurn.Answered();
    }

    /// <summary>The flow, step and choice of a tap on a question a flow asked; null for anything else.</summary>
    private async Task<(string Flow, string Step, Choice Choice)?> TappedAsync(Conversation conversation, Message last, CancellationToken cancellationToken)
    {
        if (await taps.FindAskedAsync(conversation, last, cancellationToken) is not { Asked.AskedBy: { } askedBy, Choice: var choice }
            || !askedBy.StartsWith(AskedByPrefix, StringComparison.Ordinal) || askedBy[AskedByPrefix.Length..].Split(':') is not [var flow, var step])
        {
            return null;
        }

        return (flow, step, choice);
    }

    private IGuidedFlow? Find(string name) => flows.FirstOrDefault(f => f.Name == name);

    private static IReadOnlyDictionary<string, string> Read(FlowState state) =>
        JsonSerializer.Deserialize<Dictionary<string, string>>(state.Data) ?? [];

    private static bool HasWords(string? text) => text is not null && text.Any(char.IsLetterOrDigit);

    [LoggerMessage(Level = LogLevel.Information, Message = "Flow {Flow} started in conversation {ConversationId}")]
    private static partial void LogStarted(ILogger logger, string flow, Guid conversationId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Flow {Flow} in conversation {ConversationId} lapsed unanswered")]
    private static partial void LogLapsed(ILogger logger, string flow, Guid conversationId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Flow message for conversation {ConversationId} not queued: {Reason}")]
    private static partial void LogNotQueued(ILogger logger, Guid conversationId, string reason);
}
