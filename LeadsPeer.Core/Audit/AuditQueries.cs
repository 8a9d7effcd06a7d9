using LeadsPeer.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace LeadsPeer.Core.Audit;

public sealed record AuditView(Guid Id, Guid? UserId, string Action, string EntityType, Guid? EntityId, string? Details, string? IpAddress, DateTimeOffset CreatedAt);

public sealed record AuditPage(IReadOnlyList<AuditView> Items, string? NextCursor);

/// <summary>The organisation's activity: audit entries newest first, filtered and keyset-paged.</summary>
public sealed class AuditQueries(LeadsPeerDbContext db, Accounts.CurrentMember member)
{
    public const int MaxPageSize = 200;

    public async Task<Outcome<AuditPage>> ListAsync(string? action, Guid? userId, DateTimeOffset? from, DateTimeOffset? to, string? cursor, int? limit, CancellationToken cancellationToken)
    {
        if (member.Refuses(Accounts.Permission.ViewActivity) is { } refused)
        {
            return refused;
        }

        var size = limit ?? 50;
        if (size is < 1 or > MaxPageSize)
        {
            return UseCaseError.Invalid("limit", $"A page holds 1 to {MaxPageSize} entries.");
        }

        if (!KeysetCursor.TryRead(cursor, out var after))
        {
            return UseCaseError.Invalid("cursor", "The cursor is not one this API gave out.");
        }

        var query = db.AuditEntries.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(action))
        {
            query = query.Where(a => a.Action == action);
        }

        if (userId is not null)
        {
            query = query.Where(a => a.UserId == userId);
        }

        if (from is not null)
        {
            query = query.Where(a => a.CreatedAt >= from);
        }

        if (to is not null)
        {
            query = query.Where(a => a.CreatedAt < to);
        }

        if (after is { } position)
        {
            query = query.Where(a => EF.Functions.LessThan(ValueTuple.Create(a.CreatedAt, a.Id), ValueTuple.Create(position.At, position.Id)));
        }

        var rows = await query.OrderByDescending(a => a.CreatedAt).ThenByDescending(a => a.Id).Take(size + 1).ToListAsync(cancellationToken);
        var items = rows.Take(size).Select(a => new AuditView(a.Id, a.UserId, a.Action, a.EntityType, a.EntityId, a.Details, a.IpAddress, a.CreatedAt)).ToList();
        var next = rows.Count > size ? KeysetCursor.Write(0, rows[size - 1].CreatedAt, rows[size - 1].Id) : null;
        return new AuditPage(items, next);
    }
}
