using LeadsPeer.Core.Accounts;
using LeadsPeer.Core.Audit;
using LeadsPeer.Core.Data;
using LeadsPeer.Core.Live;
using LeadsPeer.Core.Work;
using Microsoft.EntityFrameworkCore;

namespace LeadsPeer.Core.Conversations;

public sealed record ConversationSummary(
    Guid Id,
    Guid ContactId,
    string? ContactName,
    string? ContactWaId,
    ConversationState State,
    Guid? AssignedUserId,
    string? HandoffReason,
    DateTimeOffset? WaitingSince,
    DateTimeOffset? LastInboundAt,
    DateTimeOffset? LastMessageAt,
    DateTimeOffset? WindowExpiresAt,
    int UnreadCount,
    MessagePreview? LastMessage = null);

/// <summary>The latest message of a conversation, as an inbox row shows it.</summary>
public sealed record MessagePreview(MessageDirection Direction, MessageAuthor Author, string Type, string? Text);

public sealed record ContactView(Guid Id, string? Name, string? WaId, string? UserId, DateTimeOffset? OptedOutAt, DateTimeOffset CreatedAt);

public sealed record ConversationPage(IReadOnlyList<ConversationSummary> Items, string? NextCursor);

/// <summary>Filters of the conversation list; all optional.</summary>
public sealed record ConversationFilter(ConversationState? State = null, bool Mine = false, bool Unread = false, string? Search = null);

public sealed record MessageView(
    Guid Id,
    MessageDirection Direction,
    MessageAuthor Author,
    string Type,
    string? Text,
    MessageStatus Status,
    int? ErrorCode,
    string? ErrorTitle,
    DateTimeOffset CreatedAt,
    IReadOnlyList<SourceSnapshot>? Sources = null);

public sealed record MessagePage(IReadOnlyList<MessageView> Items, string? NextCursor);

/// <summary>
/// The operators' use cases on conversations, for every host (the dashboard in process, the REST
/// API for outside clients): read them, and move them through the state machine — each move one
/// conditional update, audited in the same transaction and announced live after the commit.
/// </summary>
public sealed class ConversationService(
    LeadsPeerDbContext db,
    CurrentMember member,
    Outbox outbox,
    AuditLog audit,
    LiveEventPublisher live,
    WorkQueue workQueue,
    WorkDispatcher dispatcher,
    TimeProvider time)
{
    public const int DefaultPageSize = 50;
    public const int MaxPageSize = 100;

    /// <summary>
    /// The inbox, what needs attention first: conversations waiting for a human, longest wait
    /// first; then the others, latest activity first. Keyset-paged across both parts, so pages
    /// never skip or repeat a conversation.
    /// </summary>
    public async Task<Outcome<ConversationPage>> ListAsync(ConversationFilter filter, string? cursor, int? limit, CancellationToken cancellationToken)
    {
        if (PageSize(limit) is not { } size)
        {
            return UseCaseError.Invalid("limit", $"A page holds 1 to {MaxPageSize} conversations.");
        }

        if (!KeysetCursor.TryRead(cursor, out var after, parts: 2))
        {
            return UseCaseError.Invalid("cursor", "The cursor is not one this API gave out.");
        }

        var query = Filtered(filter);
        var rows = new List<Conversation>();
        var segment = after?.Part ?? Waiting;
        if (segment == Waiting && filter.State is null or ConversationState.NeedsHuman)
        {
            var waiting = query.Where(c => c.State == ConversationState.NeedsHuman);
            if (after is { Part: Waiting } position)
            {
                waiting = waiting.Where(c => EF.Functions.GreaterThan(ValueTuple.Create(c.WaitingSince ?? c.CreatedAt, c.Id), ValueTuple.Create(position.At, position.Id)));
            }

            rows.AddRange(await waiting.OrderBy(c => c.WaitingSince ?? c.CreatedAt).ThenBy(c => c.Id).Take(size + 1).ToListAsync(cancellationToken));
        }

        if (rows.Count <= size && filter.State is not ConversationState.NeedsHuman)
        {
            var others = query.Where(c => c.State != ConversationState.NeedsHuman);
            if (after is { Part: Others } position)
            {
                others = others.Where(c => EF.Functions.LessThan(ValueTuple.Create(c.LastMessageAt ?? c.CreatedAt, c.Id), ValueTuple.Create(position.At, position.Id)));
            }

            rows.AddRange(await others.OrderByDescending(c => c.LastMessageAt ?? c.CreatedAt).ThenByDescending(c => c.Id)
                .Take(size + 1 - rows.Count).ToListAsync(cancellationToken));
        }

        var page = rows.Take(size).ToList();
        var last = page.LastOrDefault();
        var next = rows.Count > size && last is not null
            ? last.State == ConversationState.NeedsHuman
                ? KeysetCursor.Write(Waiting, last.WaitingSince ?? last.CreatedAt, last.Id)
                : KeysetCursor.Write(Others, last.LastMessageAt ?? last.CreatedAt, last.Id)
            : null;
        return new ConversationPage(await SummarizeAsync(page, cancellationToken), next);
    }

    /// <summary>How many of the organisation's conversations wait for a person (the dashboard's tab badge).</summary>
    public Task<int> CountWaitingAsync(CancellationToken cancellationToken) =>
        db.Conversations.CountAsync(c => c.State == ConversationState.NeedsHuman, cancellationToken);

    private const int Waiting = 0;
    private const int Others = 1;

    private IQueryable<Conversation> Filtered(ConversationFilter filter)
    {
        var me = member.UserId;
        var query = db.Conversations.AsNoTracking();
        if (filter.State is { } state)
        {
            query = query.Where(c => c.State == state);
        }

        if (filter.Mine)
        {
            query = query.Where(c => c.AssignedUserId == me);
        }

        if (filter.Unread)
        {
            query = query.Where(c => db.Messages.Any(m => m.ConversationId == c.Id && m.Direction == MessageDirection.Inbound
                                                          && (c.LastReadAt == null || m.CreatedAt > c.LastReadAt)));
        }

        if (!string.IsNullOrWhiteSpace(filter.Search))
        {
            var pattern = "%" + filter.Search.Trim().Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_") + "%";
            query = query.Where(c => db.Contacts.Any(k => k.Id == c.ContactId
                && (EF.Functions.ILike(k.ProfileName!, pattern) || EF.Functions.Like(k.WaId!, pattern))));
        }

        return query;
    }

    /// <summary>The page's rows with their contacts and unread counts (customer messages after the organisation last read).</summary>
    private async Task<List<ConversationSummary>> SummarizeAsync(List<Conversation> page, CancellationToken cancellationToken)
    {
        var ids = page.Select(c => c.Id).ToList();
        var contactIds = page.Select(c => c.ContactId).ToList();
        var contacts = await db.Contacts.AsNoTracking().Where(k => contactIds.Contains(k.Id)).ToDictionaryAsync(k => k.Id, cancellationToken);
        var unread = await (
                from m in db.Messages
                join c in db.Conversations on m.ConversationId equals c.Id
                where ids.Contains(c.Id) && m.Direction == MessageDirection.Inbound && (c.LastReadAt == null || m.CreatedAt > c.LastReadAt)
                group m by m.ConversationId into g
                select new { Id = g.Key, Count = g.Count() })
            .ToDictionaryAsync(x => x.Id, x => x.Count, cancellationToken);
        var latest = await db.Messages.AsNoTracking()
            .Where(m => ids.Contains(m.ConversationId))
            .GroupBy(m => m.ConversationId)
            .Select(g => g.OrderByDescending(m => m.CreatedAt).ThenByDescending(m => m.Id)
                .Select(m => new { m.ConversationId, Preview = new MessagePreview(m.Direction, m.Author, m.Type, m.Text) }).First())
            .ToDictionaryAsync(x => x.ConversationId, x => x.Preview, cancellationToken);
        return [.. page.Select(c => Summarize(c, contacts[c.ContactId], unread.GetValueOrDefault(c.Id)) with { LastMessage = latest.GetValueOrDefault(c.Id) })];
    }

    public async Task<Outcome<ConversationSummary>> GetAsync(Guid id, CancellationToken cancellationToken) =>
        await FindAsync(id, cancellationToken) is { } summary ? summary : NotFound();

    public async Task<Outcome<ContactView>> GetContactAsync(Guid id, CancellationToken cancellationToken)
    {
        var contact = await db.Contacts.AsNoTracking().SingleOrDefaultAsync(k => k.Id == id, cancellationToken);
        return contact is null
            ? UseCaseError.NotFound("No such contact in this organisation.")
            : new ContactView(contact.Id, contact.ProfileName, contact.WaId, contact.UserId, contact.OptedOutAt, contact.CreatedAt);
    }

    /// <summary>The thread, newest first, keyset-paged towards older messages.</summary>
    public async Task<Outcome<MessagePage>> MessagesAsync(Guid id, string? cursor, int? limit, CancellationToken cancellationToken)
    {
        if (PageSize(limit) is not { } size)
        {
            return UseCaseError.Invalid("limit", $"A page holds 1 to {MaxPageSize} messages.");
        }

        if (!KeysetCursor.TryRead(cursor, out var before))
        {
            return UseCaseError.Invalid("cursor", "The cursor is not one this API gave out.");
        }

        if (!await db.Conversations.AnyAsync(c => c.Id == id, cancellationToken))
        {
            return NotFound();
        }

        var query = db.Messages.AsNoTracking().Where(m => m.ConversationId == id);
        if (before is { } position)
        {
            query = query.Where(m => EF.Functions.LessThan(ValueTuple.Create(m.CreatedAt, m.Id), ValueTuple.Create(position.At, position.Id)));
        }

        var rows = await query.OrderByDescending(m => m.CreatedAt).ThenByDescending(m => m.Id).Take(size + 1).ToListAsync(cancellationToken);
        var items = rows.Take(size).Select(View).ToList();
        var next = rows.Count > size ? KeysetCursor.Write(0, rows[size - 1].CreatedAt, rows[size - 1].Id) : null;
        return new MessagePage(items, next);
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
            return NotFound();
        }

        var now = time.GetUtcNow();
        var hasUnread = await db.Messages.AnyAsync(m => m.ConversationId == id && m.Direction == MessageDirection.Inbound
                                                         && (conversation.LastReadAt == null || m.CreatedAt > conversation.LastReadAt), cancellationToken);
        await db.Conversations.Where(c => c.Id == id && (c.LastReadAt == null || c.LastReadAt < now))
            .ExecuteUpdateAsync(c => c.SetProperty(x => x.LastReadAt, now), cancellationToken);
        if (hasUnread && conversation.State is ConversationState.Human or ConversationState.NeedsHuman)
        {
            // One row per conversation, re-armed each time: a burst of opens makes one Graph call.
            var work = await workQueue.ArmAsync(conversation.TenantId, WorkKind.MarkRead, conversation.Id, $"read:{conversation.Id}", now, cancellationToken);
            await dispatcher.DispatchAsync(WorkKind.MarkRead, work);
        }

        return (await FindAsync(id, cancellationToken))!;
    }

    public Task<Outcome<ConversationSummary>> ClaimAsync(Guid id, CancellationToken cancellationToken) => MoveAsync(id, ConversationAction.Claim, cancellationToken);

    public Task<Outcome<ConversationSummary>> TakeOverAsync(Guid id, CancellationToken cancellationToken) => MoveAsync(id, ConversationAction.TakeOver, cancellationToken);

    public Task<Outcome<ConversationSummary>> ReleaseAsync(Guid id, CancellationToken cancellationToken) => MoveAsync(id, ConversationAction.Release, cancellationToken);

    public Task<Outcome<ConversationSummary>> HandBackAsync(Guid id, CancellationToken cancellationToken) => MoveAsync(id, ConversationAction.HandBack, cancellationToken);

    public Task<Outcome<ConversationSummary>> ResolveAsync(Guid id, CancellationToken cancellationToken) => MoveAsync(id, ConversationAction.Resolve, cancellationToken);

    public Task<Outcome<ConversationSummary>> ReopenAsync(Guid id, CancellationToken cancellationToken) => MoveAsync(id, ConversationAction.Reopen, cancellationToken);

    /// <summary>
    /// An operator's reply, through the one outbound path. Only the operator handling the
    /// conversation may reply, so two people never answer the same customer; outside the
    /// 24-hour window it is refused with the reason.
    /// </summary>
    public async Task<Outcome<MessageView>> ReplyAsync(Guid id, string? text, CancellationToken cancellationToken)
    {
        var conversation = await db.Conversations.AsNoTracking().SingleOrDefaultAsync(c => c.Id == id, cancellationToken);
        if (conversation is null)
        {
            return NotFound();
        }

        if (conversation.State != ConversationState.Human || conversation.AssignedUserId != member.UserId)
        {
            return Refused("Take over the conversation before replying: only the operator handling it answers the customer.", conversation);
        }

        var entry = audit.Record("conversation.reply", "conversation", id);
        var outcome = await outbox.EnqueueTextAsync(conversation, text ?? "", MessageAuthor.Operator, member.UserId, replyToTurn: null, cancellationToken);
        if (!outcome.Succeeded)
        {
            db.Entry(entry).State = EntityState.Detached;
            return outcome.Error! with { Facts = outcome.Error.Kind == FailureKind.Conflict ? StateFacts(conversation) : null };
        }

        return View(outcome.Value!);
    }

    private async Task<Outcome<ConversationSummary>> MoveAsync(Guid id, ConversationAction action, CancellationToken cancellationToken)
    {
        var me = member.UserId ?? throw new InvalidOperationException("Conversation actions need a signed-in member.");
        var before = await db.Conversations.AsNoTracking().SingleOrDefaultAsync(c => c.Id == id, cancellationToken);
        if (before is null)
        {
            return NotFound();
        }

        // Claiming what you already hold changes nothing and is not an error.
        if (action is ConversationAction.Claim or ConversationAction.TakeOver
            && before is { State: ConversationState.Human } && before.AssignedUserId == me)
        {
            return (await FindAsync(id, cancellationToken))!;
        }

        if (!ConversationStateMachine.Allows(action, before.State, before.AssignedUserId, me))
        {
            return Refused(ConversationStateMachine.Refusal(action, before.State, before.AssignedUserId, me), before);
        }

        var rule = ConversationStateMachine.For(action);
        var from = rule.From.ToArray();
        var now = time.GetUtcNow();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);

        // The same conditions again, in the update itself: whoever commits first wins, the other changes nothing.
        var target = db.Conversations.Where(c => c.Id == id && from.Contains(c.State));
        if (rule.OnlyTheHolder)
        {
            target = target.Where(c => c.State != ConversationState.Human || c.AssignedUserId == me);
        }

        if (action == ConversationAction.TakeOver)
        {
            // Taken over from exactly the holder the operator saw, not from someone who claimed it since.
            target = target.Where(c => c.AssignedUserId == before.AssignedUserId);
        }

        var waitingReason = action == ConversationAction.Reopen ? "Reopened by an operator." : "Released by an operator.";
        var changed = rule.To switch
        {
            ConversationState.Human => await target.ExecuteUpdateAsync(s => s
                .SetProperty(c => c.State, ConversationState.Human)
                .SetProperty(c => c.AssignedUserId, me)
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
            await transaction.RollbackAsync(cancellationToken);
            var current = await db.Conversations.AsNoTracking().SingleAsync(c => c.Id == id, cancellationToken);
            return Refused(ConversationStateMachine.Refusal(action, current.State, current.AssignedUserId, me), current);
        }

        audit.Record($"conversation.{Kebab(action)}", "conversation", id,
            action == ConversationAction.TakeOver && before.AssignedUserId is { } previous
                ? $"{before.State} → {rule.To}, from operator {previous}"
                : $"{before.State} → {rule.To}");
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);

        await live.PublishAsync(before.TenantId, new LiveEvent(LiveEventTypes.ConversationStateChanged, id, Status: rule.To.ToString()));
        return (await FindAsync(id, cancellationToken))!;
    }

    private async Task<ConversationSummary?> FindAsync(Guid id, CancellationToken cancellationToken)
    {
        var conversation = await db.Conversations.AsNoTracking().SingleOrDefaultAsync(c => c.Id == id, cancellationToken);
        return conversation is null ? null : (await SummarizeAsync([conversation], cancellationToken))[0];
    }

    private static ConversationSummary Summarize(Conversation c, Contact k, int unread) => new(
        c.Id, k.Id, k.ProfileName, k.WaId, c.State, c.AssignedUserId, c.HandoffReason, c.WaitingSince, c.LastInboundAt, c.LastMessageAt,
        c.WindowExpiresAt, unread);

    private static MessageView View(Message m) =>
        new(m.Id, m.Direction, m.Author, m.Type, m.Text, m.Status, m.ErrorCode, m.ErrorTitle, m.CreatedAt, SourceSnapshot.FromJson(m.Sources));

    private static UseCaseError NotFound() => UseCaseError.NotFound("No such conversation in this organisation.");

    private static UseCaseError Refused(string title, Conversation current) =>
        UseCaseError.Conflict(title) with { Facts = StateFacts(current) };

    private static Dictionary<string, object?> StateFacts(Conversation current) => new()
    {
        ["state"] = current.State.ToString(),
        ["assignedUserId"] = current.AssignedUserId,
    };

    private static string Kebab(ConversationAction action) => action switch
    {
        ConversationAction.TakeOver => "take-over",
        ConversationAction.HandBack => "hand-back",
        _ => action.ToString().ToLowerInvariant(),
    };

    private static int? PageSize(int? limit) => limit switch
    {
        null => DefaultPageSize,
        >= 1 and <= MaxPageSize => limit,
        _ => null,
    };
}
