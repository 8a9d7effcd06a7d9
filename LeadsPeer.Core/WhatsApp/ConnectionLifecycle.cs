using LeadsPeer.Core.Conversations;
using LeadsPeer.Core.Data;
using LeadsPeer.Core.Live;
using Microsoft.EntityFrameworkCore;

namespace LeadsPeer.Core.WhatsApp;

/// <summary>
/// The one owner of a number's status (<see cref="WhatsAppConnection.Status"/>): <c>Active</c> when
/// connected — a sandbox number, Embedded Signup, or Embedded Signup again after Meta stopped
/// honouring its token; <c>NeedsReauthorization</c> when Meta rejects its token (its sends stop);
/// <c>Removed</c> when the business removes it (its secrets deleted, its conversations kept);
/// suspended beside its status while its organisation closes.
/// Nothing else writes the status or its reason.
/// </summary>
public sealed class ConnectionLifecycle(LeadsPeerDbContext db, LiveEventPublisher live, TimeProvider time)
{
    /// <summary>Connected, or connected again: active, with no reason left from before (the caller saves).</summary>
    public static void Activate(WhatsAppConnection connection)
    {
        connection.Status = WhatsAppConnectionStatus.Active;
        connection.StatusReason = null;
        connection.RemovedAt = null;
    }

    /// <summary>Removed: the token and PIN deleted with it, the row kept for its conversations (the caller saves).</summary>
    public void Remove(WhatsAppConnection connection, string? reason)
    {
        connection.Status = WhatsAppConnectionStatus.Removed;
        connection.StatusReason = reason;
        connection.RemovedAt = time.GetUtcNow();
        connection.EncryptedAccessToken = null;
        connection.TokenKeyId = null;
        connection.EncryptedPin = null;
    }

    /// <summary>The organisation is closing: none of its numbers sends or stores anything until the closure is cancelled.</summary>
    public Task<int> SuspendAllAsync(DateTimeOffset at, CancellationToken cancellationToken) =>
        db.WhatsAppConnections.Where(c => c.Status != WhatsAppConnectionStatus.Removed && c.SuspendedAt == null)
            .ExecuteUpdateAsync(c => c.SetProperty(x => x.SuspendedAt, at), cancellationToken);

    /// <summary>The closure was cancelled: the numbers work again, each in the status it had.</summary>
    public Task<int> ResumeAllAsync(CancellationToken cancellationToken) =>
        db.WhatsAppConnections.Where(c => c.SuspendedAt != null)
            .ExecuteUpdateAsync(c => c.SetProperty(x => x.SuspendedAt, (DateTimeOffset?)null), cancellationToken);

    /// <summary>
    /// Meta refused the number's token (190): an active number needs Embedded Signup again. One
    /// conditional update, so many sends failing at once flag it once; announced to its screens.
    /// </summary>
    public async Task TokenRejectedAsync(WhatsAppConnection connection)
    {
        var flagged = await db.WhatsAppConnections
            .Where(c => c.Id == connection.Id && c.Status == WhatsAppConnectionStatus.Active)
            .ExecuteUpdateAsync(c => c
                .SetProperty(x => x.Status, WhatsAppConnectionStatus.NeedsReauthorization)
                .SetProperty(x => x.StatusReason, GraphErrors.TokenRejectedHealth), CancellationToken.None);
        if (flagged > 0)
        {
            await RedisOutage.WaitBrieflyAsync(live.PublishAsync(connection.TenantId, new LiveEvent(LiveEventTypes.ConnectionHealthChanged, ConnectionId: connection.Id)));
        }
    }
}
