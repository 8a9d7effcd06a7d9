using System.Buffers.Text;
using System.Text;
using LeadsPeer.Core.Accounts;
using LeadsPeer.Core.Audit;
using LeadsPeer.Core.Data;
using LeadsPeer.Core.Live;
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
    DateTimeOffset? WindowExpiresAt);

public sealed record ContactView(Guid Id, string? Name, string? WaId, string? UserId, DateTimeOffset? OptedOutAt, DateTimeOffset CreatedAt);

public sealed record ConversationPage(IReadOnlyList<ConversationSummary> Items, string? NextCursor);

/// <summary>Filters of the conversation list; all optional.</summary>
public sealed record ConversationFilter(ConversationState? State = null, bool Mine = false, string? Search = null);

public sealed record MessageView(
    Guid Id,
    MessageDirection Direction,
    MessageAuthor Author,
    string Type,
    string? Text,
    MessageStatus Status,
    int? ErrorCode,
    string? ErrorTitle,
    DateTimeOffset CreatedAt);

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
    TimeProvider time)
{
    public const int DefaultPageSize = 50;
    public const int MaxPageSize = 100;

    public async Task<Outcome<ConversationPage>> ListAsync(ConversationFilter filter, string? cursor, int? limit, CancellationToken cancellationToken)
    {
        if (PageSize(limit) is not { } size)
        {
            return UseCaseError.Invalid("limit", $"A page holds 1 to {MaxPageSize} conversations.");
        }

        if (!Cursor.TryRead(cursor, out var after))
        {
            return UseCaseError.Invalid("cursor", "The cursor is not one this API gave out.");
        }

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

        if (!string.IsNullOrWhiteSpace(filter.Search))
        {
            var pattern = "%" + filter.Search.Trim().Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_") + "%";
            query = query.Where(c => db.Contacts.Any(k => k.Id == c.ContactId
                && (EF.Functions.ILike(k.ProfileName!, pattern) || EF.Functions.Like(k.WaId!, pattern))));
        }

        // Newest activity first, keyset-paged on (last activity, id) so pages never skip or repeat.
        if (after is { } position)
        {
            query = query.Where(c => EF.Functions.LessThan(
                ValueTuple.Create(c.LastMessageAt ?? c.CreatedAt, c.Id),
                ValueTuple.Create(position.At, position.Id)));
        }

        var rows = await query
            .OrderByDescending(c => c.LastMessageAt ?? c.CreatedAt).ThenByDescending(c => c.Id)
            .Take(size + 1)
            .Join(db.Contacts, c => c.ContactId, k => k.Id, (c, k) => new { c, k })
            .ToListAsync(cancellationToken);
        var items = rows.Take(size).Select(r => Summarize(r.c, r.k)).ToList();
        var next = rows.Count > size ? Cursor.Write(rows[size - 1].c.LastMessageAt ?? rows[size - 1].c.CreatedAt, rows[size - 1].c.Id) : null;
        return new ConversationPage(items, next);
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

        if (!Cursor.TryRead(cursor, out var before))
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
        var items = rows.Take(size)
            .Select(m => new MessageView(m.Id, m.Direction, m.Author, m.Type, m.Text, m.Status, m.ErrorCode, m.ErrorTitle, m.CreatedAt))
            .ToList();
        var next = rows.Count > size ? Cursor.Write(rows[size - 1].CreatedAt, rows[size - 1].Id) : null;
        return new MessagePage(items, next);
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

        var m = outcome.Value!;
        return new MessageView(m.Id, m.Direction, m.Author, m.Type, m.Text, m.Status, m.ErrorCode, m.ErrorTitle, m.CreatedAt);
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
        var row = await db.Conversations.AsNoTracking().Where(c => c.Id == id)
            .Join(db.Contacts, c => c.ContactId, k => k.Id, (c, k) => new { c, k })
            .SingleOrDefaultAsync(cancellationToken);
        return row is null ? null : Summarize(row.c, row.k);
    }

    private static ConversationSummary Summarize(Conversation c, Contact k) => new(
        c.Id, k.Id, k.ProfileName, k.WaId, c.State, c.AssignedUserId, c.HandoffReason, c.WaitingSince, c.LastInboundAt, c.LastMessageAt, c.WindowExpiresAt);

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

    /// <summary>An opaque position in a list: base64url of the sort time and the id.</summary>
    private static class Cursor
    {
        public static string Write(DateTimeOffset at, Guid id) =>
            Base64Url.EncodeToString(Encoding.UTF8.GetBytes($"{at.UtcTicks}:{id:N}"));

        public static bool TryRead(string? cursor, out (DateTimeOffset At, Guid Id)? position)
        {
            position = null;
            if (string.IsNullOrEmpty(cursor))
            {
                return true;
            }

            if (cursor.Length > 100 || !Base64Url.IsValid(cursor))
            {
                return false;
            }

            var parts = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(cursor)).Split(':');
            if (parts.Length != 2 || !long.TryParse(parts[0], out var ticks) || ticks < 0 || ticks > DateTimeOffset.MaxValue.UtcTicks
                || !Guid.TryParseExact(parts[1], "N", out var id))
            {
                return false;
            }

            position = (new DateTimeOffset(ticks, TimeSpan.Zero), id);
            return true;
        }
    }
}
