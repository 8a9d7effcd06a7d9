using LeadsPeer.Core.Accounts;
using LeadsPeer.Core.Audit;
using LeadsPeer.Core.Data;
using LeadsPeer.Core.Work;
using Microsoft.EntityFrameworkCore;

namespace LeadsPeer.Core.Conversations;

/// <summary>
/// What operators do to conversations, for every host: move them through the state machine
/// (<see cref="ActAsync"/>), open them (read) and reply. The rules are the state machine's and
/// the outbox's; this class checks who is asking and turns refusals into words.
/// </summary>
public sealed class OperatorActions(
    LeadsPeerDbContext db,
    CurrentMember member,
    ConversationQueries queries,
    ConversationStateMachine stateMachine,
    Outbox outbox,
    AuditLog audit,
    WorkRows work,
    WorkStreams streams,
    TimeProvider time)
{
    /// <summary>
    /// An operator's move (claim, take over, release, hand back, resolve, reopen). Claiming what
    /// the operator already holds changes nothing and is not an error.
    /// </summary>
    public async Task<Outcome<ConversationSummary>> ActAsync(Guid id, ConversationAction action, CancellationToken cancellationToken)
    {
        if (action is ConversationAction.Handoff or ConversationAction.CustomerReturns)
        {
            throw new ArgumentOutOfRangeException(nameof(action), action, "Only the system hands off, and only a customer's message brings a conversation back.");
        }

        var me = member.UserId ?? throw new InvalidOperationException("Conversation actions need a signed-in member.");
        var before = await db.Conversations.AsNoTracking().SingleOrDefaultAsync(c => c.Id == id, cancellationToken);
        if (before is null)
        {
            return ConversationViews.NotFound();
        }

        if (action is ConversationAction.Claim or ConversationAction.TakeOver
            && before is { State: ConversationState.Human } && before.AssignedUserId == me)
        {
            return (await queries.FindAsync(id, cancellationToken))!;
        }

        if (!ConversationStateMachine.Allows(action, before.State, before.AssignedUserId, me))
        {
            return Refused(ConversationStateMachine.Refusal(action, before.State, before.AssignedUserId, me), before);
        }

        if (await stateMachine.ApplyAsync(id, action, me, cancellationToken, seen: before) is Transition.Refused refused)
        {
            return refused.Current is { } current
                ? Refused(ConversationStateMachine.Refusal(action, current.State, current.AssignedUserId, me), current)
                : ConversationViews.NotFound();
        }

        return (await queries.FindAsync(id, cancellationToken))!;
    }

    /// <summary>
    /// An operator opened the conversation: its messages count as read for the organisation, and
    /// while a human handles it the customer sees blue ticks too (the Worker tells WhatsApp; while
    /// the AI handles it, the AI does that when it takes a turn).
    /// </summary>
    public async Task<Outcome<ConversationSummary>> MarkReadAsync(Guid id, CancellationToken cancellationToken)
    {
        var conversation = await db.Conversations.AsNoTracking().SingleOrDefaultAsync(c => c.Id == id, cancellationToken);
        if (conversation is null)
        {
            return ConversationViews.NotFound();
        }

        var now = time.GetUtcNow();
        var hasUnread = await db.Messages.AnyAsync(m => m.ConversationId == id && m.Direction == MessageDirection.Inbound
                                                         && (conversation.LastReadAt == null || m.CreatedAt > conversation.LastReadAt), cancellationToken);
        await db.Conversations.Where(c => c.Id == id && (c.LastReadAt == null || c.LastReadAt < now))
            .ExecuteUpdateAsync(c => c.SetProperty(x => x.LastReadAt, now), cancellationToken);
        if (hasUnread && conversation.State is ConversationState.Human or ConversationState.NeedsHuman)
        {
            // One row per conversation, re-armed each time: a burst of opens makes one Graph call.
            if (await work.ArmAsync(WorkRequest.MarkRead(conversation.TenantId, conversation.Id, now), cancellationToken) is { } workId)
            {
                await streams.DispatchAsync(WorkKind.MarkRead, workId);
            }
        }

        return (await queries.FindAsync(id, cancellationToken))!;
    }

    /// <summary>
    /// The handling operator's reply through the one outbound path: a text, or reply buttons, a
    /// list or a link button — only by the operator handling the conversation (two people never
    /// answer the same customer) and only inside the 24-hour window.
    /// </summary>
    public async Task<Outcome<MessageView>> ReplyAsync(Guid id, string? text, CancellationToken cancellationToken, Interactive.InteractiveContent? interactive = null)
    {
        if (text is not null && interactive is not null)
        {
            return UseCaseError.Invalid("interactive", "Send one of text, interactive or template.");
        }

        var conversation = await db.Conversations.AsNoTracking().SingleOrDefaultAsync(c => c.Id == id, cancellationToken);
        if (conversation is null)
        {
            return ConversationViews.NotFound();
        }

        if (conversation.State != ConversationState.Human || conversation.AssignedUserId != member.UserId)
        {
            return Refused("Take over the conversation before replying: only the operator handling it answers the customer.", conversation);
        }

        var entry = audit.Record("conversation.reply", "conversation", id);
        var outcome = interactive is not null
            ? await outbox.EnqueueInteractiveAsync(conversation, interactive, MessageAuthor.Operator, member.UserId, replyToTurn: null, askedBy: null, cancellationToken)
            : await outbox.EnqueueTextAsync(conversation, text ?? "", MessageAuthor.Operator, member.UserId, replyToTurn: null, cancellationToken);
        return Finish(outcome, entry, conversation);
    }

    /// <summary>
    /// An operator sends one of the number's approved templates — the way to reach a customer
    /// after the window has closed. The operator takes the conversation first, by the claim rules
    /// (a resolved one too, without it waiting in the queue; one another operator holds is
    /// refused), but only once the template and its values have passed every check, so a refused
    /// send changes nothing.
    /// </summary>
    public async Task<Outcome<MessageView>> SendTemplateAsync(Guid id, WhatsApp.Templates.TemplateMessage template, CancellationToken cancellationToken)
    {
        var me = member.UserId ?? throw new InvalidOperationException("Sending a template needs a signed-in member.");
        var conversation = await db.Conversations.AsNoTracking().SingleOrDefaultAsync(c => c.Id == id, cancellationToken);
        if (conversation is null)
        {
            return ConversationViews.NotFound();
        }

        var holds = conversation is { State: ConversationState.Human } && conversation.AssignedUserId == me;
        if (!holds && !ConversationStateMachine.Allows(ConversationAction.ReachOut, conversation.State, conversation.AssignedUserId, me))
        {
            return Refused(ConversationStateMachine.Refusal(ConversationAction.ReachOut, conversation.State, conversation.AssignedUserId, me), conversation);
        }

        var (prepared, refusal) = await outbox.PrepareTemplateAsync(conversation, template, WhatsApp.Templates.TemplateSender.Operator, cancellationToken);
        if (prepared is null)
        {
            return refusal! with { Facts = refusal.Kind == FailureKind.Conflict ? StateFacts(conversation) : null };
        }

        if (!holds && await stateMachine.ApplyAsync(id, ConversationAction.ReachOut, me, cancellationToken, seen: conversation) is Transition.Refused refused)
        {
            return refused.Current is { } current
                ? Refused(ConversationStateMachine.Refusal(ConversationAction.ReachOut, current.State, current.AssignedUserId, me), current)
                : ConversationViews.NotFound();
        }

        var entry = audit.Record("conversation.send-template", "conversation", id, template.Name);
        var outcome = await outbox.EnqueueTemplateAsync(conversation, prepared, MessageAuthor.Operator, me, askedBy: null, cancellationToken);
        return Finish(outcome, entry, conversation);
    }

    private Outcome<MessageView> Finish(Outcome<Message?> outcome, Audit.AuditEntry entry, Conversation conversation)
    {
        if (!outcome.Succeeded)
        {
            db.Entry(entry).State = EntityState.Detached;
            return outcome.Error! with { Facts = outcome.Error.Kind == FailureKind.Conflict ? StateFacts(conversation) : null };
        }

        return ConversationViews.View(outcome.Value!);
    }

    private static UseCaseError Refused(string title, Conversation current) =>
        UseCaseError.Conflict(title) with { Facts = StateFacts(current) };

    private static Dictionary<string, object?> StateFacts(Conversation current) => new()
    {
        ["state"] = current.State.ToString(),
        ["assignedUserId"] = current.AssignedUserId,
    };
}
