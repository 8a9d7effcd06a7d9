using System.Linq.Expressions;
using LeadsPeer.Core.Audit;
using LeadsPeer.Core.Data;
using LeadsPeer.Core.Live;
using Microsoft.EntityFrameworkCore;

namespace LeadsPeer.Core.Conversations;

/// <summary>What can happen to a conversation's handling.</summary>
public enum ConversationAction
{
    /// <summary>An operator takes the conversation; the AI goes silent.</summary>
    Claim,

    /// <summary>An operator takes a conversation another operator holds (explicit, recorded).</summary>
    TakeOver,

    /// <summary>The operator who holds it gives it back to the queue of waiting conversations.</summary>
    Release,

    /// <summary>The AI answers again.</summary>
    HandBack,

    Resolve,

    /// <summary>An operator reopens a resolved conversation; it waits for a human.</summary>
    Reopen,

    /// <summary>The AI (or the customer asking for a person) hands the conversation to the operators.</summary>
    Handoff,

    /// <summary>The customer writes again after the conversation was resolved: the AI answers again.</summary>
    CustomerReturns,

    /// <summary>
    /// An operator writes to the customer first (a template): they take the conversation, also a
    /// resolved one, straight to themselves — it never waits in the queue, so no alarm rings.
    /// </summary>
    ReachOut,
}

/// <summary>A move that was made (from the state it left) or refused (with the conversation as it is now).</summary>
public abstract record Transition
{
    public sealed record Applied(Guid TenantId, ConversationState From, ConversationState To) : Transition;

    public sealed record Refused(Conversation? Current) : Transition;
}

/// <summary>
/// The one owner of the conversation states, for every host. A rule says from which states an
/// action may start, where it leads and what it does to the holder, the waiting reason and the
/// waiting time; <see cref="ApplyAsync"/> applies it as one conditional update (so two
/// operators, or an operator and the Worker, can never both win), audits it in the same
/// transaction and announces it after the commit. Webhook ingest applies
/// <see cref="ConversationAction.CustomerReturns"/> inside its own statement, with the guard and
/// effects written by <see cref="CustomerReturnsSql"/>. Nothing else writes a conversation's state.
/// </summary>
public sealed class ConversationStateMachine(LeadsPeerDbContext db, RequestOrigin origin, LiveEventPublisher live, TimeProvider time)
{
    public sealed record Rule(IReadOnlySet<ConversationState> From, ConversationState To, bool OnlyTheHolder, string? WaitingReason = null);

    private static readonly Dictionary<ConversationAction, Rule> Rules = new()
    {
        [ConversationAction.Claim] = new(Set(ConversationState.Ai, ConversationState.NeedsHuman), ConversationState.Human, OnlyTheHolder: false),
        [ConversationAction.TakeOver] = new(Set(ConversationState.Ai, ConversationState.NeedsHuman, ConversationState.Human), ConversationState.Human, OnlyTheHolder: false),
        [ConversationAction.Release] = new(Set(ConversationState.Human), ConversationState.NeedsHuman, OnlyTheHolder: true, "Released by an operator."),
        [ConversationAction.HandBack] = new(Set(ConversationState.NeedsHuman, ConversationState.Human), ConversationState.Ai, OnlyTheHolder: true),
        [ConversationAction.Resolve] = new(Set(ConversationState.Ai, ConversationState.NeedsHuman, ConversationState.Human), ConversationState.Resolved, OnlyTheHolder: true),
        [ConversationAction.Reopen] = new(Set(ConversationState.Resolved), ConversationState.NeedsHuman, OnlyTheHolder: false, "Reopened by an operator."),
        [ConversationAction.Handoff] = new(Set(ConversationState.Ai), ConversationState.NeedsHuman, OnlyTheHolder: false),
        [ConversationAction.CustomerReturns] = new(Set(ConversationState.Resolved), ConversationState.Ai, OnlyTheHolder: false),
        [ConversationAction.ReachOut] = new(Set(ConversationState.Ai, ConversationState.NeedsHuman, ConversationState.Resolved), ConversationState.Human, OnlyTheHolder: false),
    };

    public static Rule For(ConversationAction action) => Rules[action];

    /// <summary>Where a new conversation starts (webhook ingest creates it): with the AI.</summary>
    public const ConversationState Initial = ConversationState.Ai;

    /// <summary>
    /// "May the AI speak on this conversation now?" — only while it is the AI's. The reply step,
    /// the outbox and the sender all ask this one question (<see cref="AiMaySpeakOn"/> is the same
    /// rule as a query filter, for the statements that must ask it in the database).
    /// </summary>
    public static bool AiMaySpeak(ConversationState state) => state == ConversationState.Ai;

    /// <inheritdoc cref="AiMaySpeak"/>
    public static readonly Expression<Func<Conversation, bool>> AiMaySpeakOn = c => c.State == ConversationState.Ai;

    /// <summary>
    /// Whether <paramref name="actor"/> may do <paramref name="action"/> now. "Only the holder"
    /// matters while the conversation is <see cref="ConversationState.Human"/>: then only the
    /// operator who claimed it may release, hand back or resolve it.
    /// </summary>
    public static bool Allows(ConversationAction action, ConversationState state, Guid? holder, Guid? actor)
    {
        var rule = Rules[action];
        return rule.From.Contains(state)
               && !(rule.OnlyTheHolder && state == ConversationState.Human && holder != actor);
    }

    /// <summary>Why the action is refused, in words for the operator.</summary>
    public static string Refusal(ConversationAction action, ConversationState state, Guid? holder, Guid? actor) =>
        (action, state) switch
        {
            (_, ConversationState.Human) when holder != actor && action is not ConversationAction.TakeOver =>
                "Another operator is handling this conversation; take it over to act on it.",
            (ConversationAction.Claim, ConversationState.Human) => "You are already handling this conversation.",
            (_, ConversationState.Resolved) => "The conversation is resolved; reopen it first.",
            (ConversationAction.Reopen, _) => "Only a resolved conversation can be reopened.",
            (ConversationAction.Release, _) => "Only a conversation you are handling can be released.",
            (ConversationAction.HandBack, ConversationState.Ai) => "The AI is already handling this conversation.",
            _ => $"{action} is not possible while the conversation is {state}.",
        };

    /// <summary>
    /// Applies <paramref name="action"/> by <paramref name="actor"/> (null: the system) to the
    /// conversation: the rule's guard and effects in one conditional update, the audit entry in
    /// the same transaction, the live event after the commit. <paramref name="seen"/> is the
    /// conversation as the operator saw it: a take-over takes it from exactly that holder.
    /// <paramref name="reason"/> is the waiting reason of a handoff.
    /// </summary>
    public async Task<Transition> ApplyAsync(
        Guid conversationId, ConversationAction action, Guid? actor, CancellationToken cancellationToken, Conversation? seen = null, string? reason = null)
    {
        Transition moved;
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            moved = await MoveAsync(conversationId, action, actor, seen, reason, cancellationToken);
            if (moved is Transition.Applied)
            {
                await transaction.CommitAsync(cancellationToken);
            }
        }

        await AnnounceAsync(conversationId, moved);
        return moved;
    }

    /// <summary>
    /// <see cref="ApplyAsync"/> inside the caller's open transaction, for a move that must commit
    /// with another write or not at all (the handoff and its notice to the customer). The caller
    /// commits, then calls <see cref="AnnounceAsync"/>.
    /// </summary>
    public Task<Transition> ApplyWithinAsync(Guid conversationId, ConversationAction action, Guid? actor, CancellationToken cancellationToken, string? reason = null) =>
        db.Database.CurrentTransaction is null
            ? throw new InvalidOperationException("ApplyWithinAsync needs the caller's transaction; ApplyAsync opens its own.")
            : MoveAsync(conversationId, action, actor, seen: null, reason, cancellationToken);

    /// <summary>The live event of a move that was made and committed; nothing for one refused.</summary>
    public Task AnnounceAsync(Guid conversationId, Transition moved) =>
        moved is Transition.Applied applied
            // A hint after the commit: a hung Redis never holds the operator's answer past HintWait.
            ? RedisOutage.WaitBrieflyAsync(live.PublishAsync(applied.TenantId, new LiveEvent(LiveEventTypes.ConversationStateChanged, conversationId, Status: applied.To.ToString())))
            : Task.CompletedTask;

    private async Task<Transition> MoveAsync(Guid conversationId, ConversationAction action, Guid? actor, Conversation? seen, string? reason, CancellationToken cancellationToken)
    {
        var rule = Rules[action];
        var from = rule.From.ToArray();
        var now = time.GetUtcNow();
        var waitingReason = rule.WaitingReason ?? reason;
        var before = seen ?? await db.Conversations.AsNoTracking().SingleOrDefaultAsync(c => c.Id == conversationId, cancellationToken);
        if (before is null)
        {
            return new Transition.Refused(null);
        }

        // The rule's conditions again, in the update itself: whoever commits first wins, the other changes nothing.
        var target = db.Conversations.Where(c => c.Id == conversationId && from.Contains(c.State));
        if (rule.OnlyTheHolder)
        {
            target = target.Where(c => c.State != ConversationState.Human || c.AssignedUserId == actor);
        }

        if (action == ConversationAction.TakeOver)
        {
            // Taken over from exactly the holder the operator saw, not from someone who claimed it since.
            target = target.Where(c => c.AssignedUserId == before.AssignedUserId);
        }

        var changed = rule.To switch
        {
            ConversationState.Human => await target.ExecuteUpdateAsync(s => s
                .SetProperty(c => c.State, ConversationState.Human)
                .SetProperty(c => c.AssignedUserId, actor)
                .SetProperty(c => c.HandoffReason, (string?)null)
                .SetProperty(c => c.WaitingSince, (DateTimeOffset?)null), cancellationToken),
            ConversationState.NeedsHuman => await target.ExecuteUpdateAsync(s => s
                .SetProperty(c => c.State, ConversationState.NeedsHuman)
                .SetProperty(c => c.AssignedUserId, (Guid?)null)
                .SetProperty(c => c.HandoffReason, waitingReason)
                .SetProperty(c => c.WaitingSince, now), cancellationToken),
            _ => await target.ExecuteUpdateAsync(s => s
                .SetProperty(c => c.State, rule.To)
                .SetProperty(c => c.AssignedUserId, (Guid?)null)
                .SetProperty(c => c.HandoffReason, (string?)null)
                .SetProperty(c => c.WaitingSince, (DateTimeOffset?)null), cancellationToken),
        };

        if (changed == 0)
        {
            // Refused: nothing was written, and the caller's transaction (if any) goes on unchanged.
            return new Transition.Refused(await db.Conversations.AsNoTracking().SingleOrDefaultAsync(c => c.Id == conversationId, cancellationToken));
        }

        db.AuditEntries.Add(new AuditEntry
        {
            TenantId = before.TenantId,
            UserId = actor,
            Action = $"conversation.{Kebab(action)}",
            EntityType = "conversation",
            EntityId = conversationId,
            Details = Truncate(actor is null
                ? reason
                : action == ConversationAction.TakeOver && before.AssignedUserId is { } previous
                    ? $"{before.State} → {rule.To}, from operator {previous}"
                    : $"{before.State} → {rule.To}"),
            IpAddress = actor is null ? null : origin.IpAddress,
            CreatedAt = now,
        });
        await db.SaveChangesAsync(cancellationToken);
        return new Transition.Applied(before.TenantId, before.State, rule.To);
    }

    /// <summary>
    /// <see cref="ConversationAction.CustomerReturns"/> as the SET list of ingest's conversation
    /// upsert (<c>ON CONFLICT … DO UPDATE</c>, the stored row as <paramref name="stored"/>, the new
    /// message's as <paramref name="incoming"/>): only a message newer than any before it reopens
    /// the conversation, so a redelivered older one changes nothing.
    /// </summary>
    public static string CustomerReturnsSql(string stored, string incoming)
    {
        var rule = Rules[ConversationAction.CustomerReturns];
        var states = string.Join(", ", rule.From.Select(s => $"'{s}'"));
        var guard = $"{stored}.state IN ({states}) AND {incoming}.last_inbound_at > {stored}.last_inbound_at";
        // The effects of a move to the AI: nobody holds it, nobody waits.
        return $"""
            state = CASE WHEN {guard} THEN '{rule.To}' ELSE {stored}.state END,
                            assigned_user_id = CASE WHEN {guard} THEN NULL ELSE {stored}.assigned_user_id END,
                            handoff_reason = CASE WHEN {guard} THEN NULL ELSE {stored}.handoff_reason END,
                            waiting_since = CASE WHEN {guard} THEN NULL ELSE {stored}.waiting_since END
            """;
    }

    private static string? Truncate(string? details) => details is { Length: > 500 } ? details[..500] : details;

    private static string Kebab(ConversationAction action) => action switch
    {
        ConversationAction.TakeOver => "take-over",
        ConversationAction.HandBack => "hand-back",
        ConversationAction.CustomerReturns => "customer-returns",
        ConversationAction.ReachOut => "reach-out",
        _ => action.ToString().ToLowerInvariant(),
    };

    private static IReadOnlySet<ConversationState> Set(params ConversationState[] states) => states.ToHashSet();
}
