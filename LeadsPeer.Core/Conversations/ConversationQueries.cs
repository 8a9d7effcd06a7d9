using LeadsPeer.Core.Accounts;
using LeadsPeer.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace LeadsPeer.Core.Conversations;

/// <summary>
/// What operators read about conversations, for every host (the dashboard in process, the REST
/// API for outside clients): the inbox, one conversation, its thread, its contact. Nothing here
/// changes a row; the moves are <see cref="OperatorActions"/>'.
/// </summary>
public sealed class ConversationQueries(LeadsPeerDbContext db, CurrentMember member)
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
        if (ConversationViews.PageSize(limit) is not { } size)
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

        if (filter.Declined)
        {
            query = query.Where(c => db.Messages.Any(m => m.ConversationId == c.Id && m.Outcome == Agent.TurnOutcome.Decline));
        }

        if (!string.IsNullOrWhiteSpace(filter.Search))
        {
            var pattern = "%" + filter.Search.Trim().Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_") + "%";
            query = query.Where(c => db.Contacts.Any(k => k.Id == c.ContactId
                && (EF.Functions.ILike(k.ProfileName!, pattern) || EF.Functions.ILike(k.DisplayName!, pattern) || EF.Functions.Like(k.WaId!, pattern))));
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
        return [.. page.Select(c => ConversationViews.Summarize(c, contacts[c.ContactId], unread.GetValueOrDefault(c.Id)) with { LastMessage = latest.GetValueOrDefault(c.Id) })];
    }

    public async Task<Outcome<ConversationSummary>> GetAsync(Guid id, CancellationToken cancellationToken) =>
        await FindAsync(id, cancellationToken) is { } summary ? summary : ConversationViews.NotFound();

    public async Task<Outcome<ContactView>> GetContactAsync(Guid id, CancellationToken cancellationToken)
    {
        var contact = await db.Contacts.AsNoTracking().SingleOrDefaultAsync(k => k.Id == id, cancellationToken);
        return contact is null
            ? UseCaseError.NotFound("No such contact in this organisation.")
            : ContactView.Of(contact);
    }

    /// <summary>The thread, newest first, keyset-paged towards older messages.</summary>
    public async Task<Outcome<MessagePage>> MessagesAsync(Guid id, string? cursor, int? limit, CancellationToken cancellationToken)
    {
        if (ConversationViews.PageSize(limit) is not { } size)
        {
            return UseCaseError.Invalid("limit", $"A page holds 1 to {MaxPageSize} messages.");
        }

        if (!KeysetCursor.TryRead(cursor, out var before))
        {
            return UseCaseError.Invalid("cursor", "The cursor is not one this API gave out.");
        }

        if (!await db.Conversations.AnyAsync(c => c.Id == id, cancellationToken))
        {
            return ConversationViews.NotFound();
        }

        var query = db.Messages.AsNoTracking().Where(m => m.ConversationId == id);
        if (before is { } position)
        {
            query = query.Where(m => EF.Functions.LessThan(ValueTuple.Create(m.CreatedAt, m.Id), ValueTuple.Create(position.At, position.Id)));
        }

        var rows = await query.OrderByDescending(m => m.CreatedAt).ThenByDescending(m => m.Id).Take(size + 1).ToListAsync(cancellationToken);
        // Each message's tap read once; taps name the business message they answer by its wamid: one lookup for the page.
        var page = rows.Take(size).Select(m => (Message: m, Tap: Interactive.TapRouter.Read(m))).ToList();
        var answeredWamids = page.Select(p => p.Tap?.AnsweredWamid).OfType<string>().Distinct().ToList();
        var answered = answeredWamids.Count == 0
            ? []
            : await db.Messages.AsNoTracking()
                .Where(m => m.ConversationId == id && m.Direction == MessageDirection.Outbound && answeredWamids.Contains(m.WaMessageId!))
                .ToDictionaryAsync(m => m.WaMessageId!, m => m.Id, cancellationToken);
        var items = page.Select(p => ConversationViews.View(p.Message, p.Tap,
            p.Tap is { } tap && answered.TryGetValue(tap.AnsweredWamid, out var askedId) ? askedId : null)).ToList();
        var next = rows.Count > size ? KeysetCursor.Write(0, rows[size - 1].CreatedAt, rows[size - 1].Id) : null;
        return new MessagePage(items, next);
    }

    /// <summary>One conversation as the inbox shows it; null when it is not this organisation's.</summary>
    public async Task<ConversationSummary?> FindAsync(Guid id, CancellationToken cancellationToken)
    {
        var conversation = await db.Conversations.AsNoTracking().SingleOrDefaultAsync(c => c.Id == id, cancellationToken);
        return conversation is null ? null : (await SummarizeAsync([conversation], cancellationToken))[0];
    }
}
