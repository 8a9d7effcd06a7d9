using LeadsPeer.Core.Agent;
using LeadsPeer.Core.Conversations;
using LeadsPeer.Core.Conversations.Interactive;
using LeadsPeer.Core.Data;
using LeadsPeer.Core.Flows;
using LeadsPeer.Core.Orders;
using LeadsPeer.Core.WhatsApp;
using LeadsPeer.Core.Work;
using LeadsPeer.Worker.Agent;
using LeadsPeer.Worker.Work;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace LeadsPeer.Worker.Replies;

/// <summary>
/// Answers a customer turn once. A turn is the customer's messages since the last reply; its
/// last message names it, and the reply row is unique on that name, so retries, redeliveries
/// and crashes cannot answer a turn twice. The AI answers only while the conversation is in
/// its hands (<see cref="ConversationState.Ai"/>) and the 24-hour window is open; when it
/// cannot answer (or the customer asks for a person, or the organisation switched its agent
/// off) the customer gets the organisation's handoff message and the operators get the
/// conversation. A turn that is a tap on a question a component asked (a guided flow) goes to
/// that component instead of the agent (<see cref="TapRouter"/>).
/// </summary>
public sealed partial class ReplyHandler(
    LeadsPeerDbContext db,
    IReplyComposer composer,
    Outbox outbox,
    ConversationStateMachine stateMachine,
    TapRouter taps,
    GuidedFlows flows,
    OrderLookup orderLookup,
    GraphGateway graph,
    IOptions<ChannelOptions> channel,
    TimeProvider time,
    ILogger<ReplyHandler> logger) : IWorkHandler
{
    private const int TurnLimit = 20;

    /// <summary>Runs that may fail to compose (a model down, a timeout) before the turn goes to the operators.</summary>
    public const int ComposeAttempts = 3;

    public const string RestrictedReason = "The business marked this customer 'do not process': the AI does not answer them.";

    public WorkKind Kind => WorkKind.Reply;

    public async Task<WorkResult> HandleAsync(WorkLease lease, CancellationToken cancellationToken)
    {
        var conversation = await db.Conversations.SingleOrDefaultAsync(c => c.Id == lease.SubjectId, cancellationToken);
        if (conversation is null || !ConversationStateMachine.AiMaySpeak(conversation.State))
        {
            return WorkResult.Done;
        }

        // The turn: the customer's messages since the last turn the agent answered.
        var answeredTurn = await db.Messages
            .Where(m => m.ConversationId == conversation.Id && m.ReplyToTurn != null)
            .OrderByDescending(m => m.CreatedAt)
            .Select(m => m.ReplyToTurn)
            .FirstOrDefaultAsync(cancellationToken);
        var recent = await db.Messages.AsNoTracking()
            .Where(m => m.ConversationId == conversation.Id && m.Direction == MessageDirection.Inbound && m.Type != "reaction")
            .OrderByDescending(m => m.CreatedAt).ThenByDescending(m => m.Id)
            .Take(TurnLimit)
            .ToListAsync(cancellationToken);
        var answered = recent.FindIndex(m => m.Id == answeredTurn);
        var turn = answered < 0 ? recent : recent[..answered];
        if (turn.Count == 0)
        {
            return WorkResult.Done;
        }

        turn.Reverse();
        var last = turn[^1];

        var contact = await db.Contacts.AsNoTracking().SingleAsync(c => c.Id == conversation.ContactId, cancellationToken);
        if (contact.OptedOutAt is not null && channel.Value.IsOptOut(last.Text))
        {
            // "STOP" is an instruction, not a question.
            return WorkResult.Done;
        }

        if (contact.RestrictedAt is not null)
        {
            // Restricted at the customer's request: no automated processing, not even the
            // automatic handoff message; the team sees the turn and why.
            await stateMachine.ApplyAsync(conversation.Id, ConversationAction.Handoff, actor: null, cancellationToken, reason: RestrictedReason);
            return WorkResult.Done;
        }

        var settings = AgentSettingsService.Effective(
            await db.AgentSettings.AsNoTracking().SingleOrDefaultAsync(cancellationToken), conversation.TenantId);
        if (!settings.Enabled)
        {
            await HandOffAsync(conversation, last, settings, "The AI agent is switched off.", cancellationToken);
            return WorkResult.Done;
        }

        if (turn.Any(m => settings.AsksForPerson(m.Text, channel.Value.HandoffWords)))
        {
            await HandOffAsync(conversation, last, settings, "The customer asked for a person.", cancellationToken);
            return WorkResult.Done;
        }

        if (!Window.IsOpen(conversation, time.GetUtcNow()))
        {
            // The agent never answers outside the window; the operators see the turn unanswered.
            LogWindowClosed(logger, conversation.Id);
            return WorkResult.Done;
        }

        await MarkReadAsync(conversation, last, cancellationToken);
        var now = time.GetUtcNow();
        await db.Conversations.Where(c => c.Id == conversation.Id && (c.LastReadAt == null || c.LastReadAt < now))
            .ExecuteUpdateAsync(c => c.SetProperty(x => x.LastReadAt, now), cancellationToken);

        // "Where is my order?", "status GTB-1042": answered from the orders, the customer's own only.
        if (await orderLookup.AnswerAsync(conversation, last, cancellationToken) is { } status)
        {
            TurnSignals.Count(TurnOutcome.Answer);
            var told = await outbox.EnqueueTextAsync(conversation, status, MessageAuthor.Agent, authorUserId: null, replyToTurn: last.Id, cancellationToken,
                outcome: TurnOutcome.Answer, outcomeReason: "The customer asked about an order: answered from the orders.");
            if (!told.Succeeded)
            {
                LogNotQueued(logger, conversation.Id, told.Error!.Title);
            }

            return WorkResult.Done;
        }

        // A guided flow's turn: a tap on its question, an answer to the question it waits on, or
        // words that start one. It answers the turn itself (at most once: its reply names the turn).
        switch (await flows.TakeTurnAsync(conversation, last, cancellationToken, settings))
        {
            case FlowTurn.Answered:
                TurnSignals.Count(TurnOutcome.Flow);
                return WorkResult.Done;
            case FlowTurn.HandOff handOff:
                TurnSignals.Count(TurnOutcome.HandOff);
                await HandOffAsync(conversation, last, settings, handOff.Reason, cancellationToken);
                return WorkResult.Done;
        }

        // A tap on a question another component asked goes to it, however old the question.
        if (await taps.RouteAsync(conversation, last, cancellationToken))
        {
            return WorkResult.Done;
        }

        AgentDecision decision;
        try
        {
            decision = await composer.ComposeAsync(conversation, turn, settings, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException && lease.Attempts + 1 >= ComposeAttempts)
        {
            // The model (or search) kept failing: the customer is not left without an answer.
            LogComposeFailed(logger, conversation.Id, ex.GetType().Name, lease.Attempts + 1);
            decision = new AgentDecision.HandOff("The AI could not prepare an answer (its model did not respond).");
        }

        // The customer wrote again while the answer was prepared: that message belongs to this
        // turn and re-armed the work, so the next run answers the whole turn instead.
        if (await LatestInboundAsync(conversation.Id, cancellationToken) != last.Id)
        {
            return WorkResult.Done;
        }

        // The model's tools gathered what a flow needs (a cart): the flow's first question is the reply.
        if (decision is AgentDecision.Flow flow)
        {
            decision = await flows.StartGivenAsync(conversation, last, flow.FlowName, flow.Given, flow.Reason, cancellationToken) switch
            {
                // Not offered: the knowledge's own decision, where the flow was read from the words
                // alone; ordering switched off while the model worked: what the customer chose is not
                // lost, the team takes it.
                null => flow.Otherwise ?? new AgentDecision.HandOff($"The AI started the {flow.FlowName} flow, which is not offered now."),
                FlowTurn.HandOff handedOff => new AgentDecision.HandOff(handedOff.Reason),
                _ => decision,
            };
        }

        TurnSignals.Count(decision.Outcome);
        switch (decision)
        {
            case AgentDecision.HandOff handOff:
                await HandOffAsync(conversation, last, settings, handOff.Reason, cancellationToken);
                break;
            case AgentDecision.Decline decline:
                // Outside the business (or not in its knowledge, with those handoffs off): one sentence in
                // the business's words; nobody is paged and the conversation stays with the AI.
                await ReplyAsync(conversation, last, decline.Text ?? settings.EffectiveDeclineMessage, [], decision, cancellationToken);
                break;
            case AgentDecision.Answer answer:
                var greeted = settings.Greeting is { } greeting && !await HasAgentSpokenAsync(conversation.Id, cancellationToken)
                    ? answer.IsGreeting ? greeting : $"{greeting}\n\n{answer.Text}"
                    : answer.Text;
                await ReplyAsync(conversation, last, greeted, answer.Sources, decision, cancellationToken);
                break;
        }

        return WorkResult.Done;
    }

    /// <summary>The AI's reply to the turn, with what it decided and why recorded on it.</summary>
    private async Task ReplyAsync(Conversation conversation, Message last, string text, IReadOnlyList<SourceSnapshot> sources, AgentDecision decision, CancellationToken cancellationToken)
    {
        var outcome = await outbox.EnqueueTextAsync(
            conversation, Fit(text), MessageAuthor.Agent, authorUserId: null, replyToTurn: last.Id, cancellationToken,
            sources: sources.Count == 0 ? null : SourceSnapshot.ToJson(sources), outcome: decision.Outcome, outcomeReason: decision.Reason);
        if (!outcome.Succeeded)
        {
            LogNotQueued(logger, conversation.Id, outcome.Error!.Title);
        }
    }

    /// <summary>The turn is given up for good (every run failed or stopped): the operators get it, as when the model is down.</summary>
    public async Task GiveUpAsync(WorkLease lease, string reason, CancellationToken cancellationToken)
    {
        var conversation = await db.Conversations.AsNoTracking().SingleOrDefaultAsync(c => c.Id == lease.SubjectId, cancellationToken);
        var last = await db.Messages.AsNoTracking()
            .Where(m => m.ConversationId == lease.SubjectId && m.Direction == MessageDirection.Inbound && m.Type != "reaction")
            .OrderByDescending(m => m.CreatedAt).ThenByDescending(m => m.Id)
            .FirstOrDefaultAsync(cancellationToken);
        if (conversation is null || last is null || !ConversationStateMachine.AiMaySpeak(conversation.State))
        {
            return;
        }

        var settings = AgentSettingsService.Effective(await db.AgentSettings.AsNoTracking().SingleOrDefaultAsync(cancellationToken), conversation.TenantId);
        await HandOffAsync(conversation, last, settings, "The AI could not prepare an answer (its runs kept failing).", cancellationToken);
    }

    /// <summary>
    /// The conversation goes to the operators and the customer is told a person will answer (the
    /// turn's one reply, from the product rather than the AI, so it is sent although the
    /// conversation has changed hands); outside the window the move alone.
    /// </summary>
    private async Task HandOffAsync(Conversation conversation, Message last, AgentSettings settings, string reason, CancellationToken cancellationToken)
    {
        // The move to the operators, the notice to the customer and the end of the flow the customer
        // was in commit together or not at all: a crash between them cannot leave a customer told
        // "someone will reply" in a conversation nobody was asked to answer, nor a handed-off
        // conversation whose customer was never told. The move is made only from the AI's hands:
        // an operator who claimed the conversation while the turn was read answers it themselves,
        // so nothing is sent, nothing handed over, and their paused flow is kept.
        Transition moved = new Transition.Refused(null);
        async Task<bool> HandOverAsync(CancellationToken token)
        {
            moved = await stateMachine.ApplyWithinAsync(conversation.Id, ConversationAction.Handoff, actor: null, token, reason);
            if (moved is Transition.Applied)
            {
                await flows.EndAsync(conversation.Id, token);
            }

            return moved is Transition.Applied;
        }

        if (Window.IsOpen(conversation, time.GetUtcNow()))
        {
            var notice = await outbox.EnqueueTextAsync(conversation, settings.HandoffMessage, MessageAuthor.System, authorUserId: null, replyToTurn: last.Id, cancellationToken,
                outcome: TurnOutcome.HandOff, outcomeReason: reason, commitsWith: HandOverAsync);
            if (notice.Succeeded)
            {
                await stateMachine.AnnounceAsync(conversation.Id, moved);
                return;
            }

            // Not stored (the window closed meanwhile): the operators still take the turn.
            LogNotQueued(logger, conversation.Id, notice.Error!.Title);
        }

        // No notice to go with them: the move and the end of the flow still commit together.
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            if (!await HandOverAsync(cancellationToken))
            {
                return;
            }

            await transaction.CommitAsync(cancellationToken);
        }

        await stateMachine.AnnounceAsync(conversation.Id, moved);
    }

    private Task<Guid> LatestInboundAsync(Guid conversationId, CancellationToken cancellationToken) =>
        db.Messages
            .Where(m => m.ConversationId == conversationId && m.Direction == MessageDirection.Inbound && m.Type != "reaction")
            .OrderByDescending(m => m.CreatedAt).ThenByDescending(m => m.Id)
            .Select(m => m.Id)
            .FirstAsync(cancellationToken);

    private Task<bool> HasAgentSpokenAsync(Guid conversationId, CancellationToken cancellationToken) =>
        db.Messages.AnyAsync(m => m.ConversationId == conversationId && m.Author == MessageAuthor.Agent, cancellationToken);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Composing the reply for conversation {ConversationId} failed ({Reason}) {Attempts} times; handing it to the operators")]
    private static partial void LogComposeFailed(ILogger logger, Guid conversationId, string reason, int attempts);

    [LoggerMessage(Level = LogLevel.Information, Message = "No reply for conversation {ConversationId}: the 24-hour window is closed")]
    private static partial void LogWindowClosed(ILogger logger, Guid conversationId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Reply for conversation {ConversationId} not queued: {Reason}")]
    private static partial void LogNotQueued(ILogger logger, Guid conversationId, string reason);
}
