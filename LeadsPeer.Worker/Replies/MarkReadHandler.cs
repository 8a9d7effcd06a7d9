using LeadsPeer.Core.Conversations;
using LeadsPeer.Core.Data;
using LeadsPeer.Core.Security;
using LeadsPeer.Core.WhatsApp;
using LeadsPeer.Core.Work;
using LeadsPeer.Worker.Work;
using Microsoft.EntityFrameworkCore;

namespace LeadsPeer.Worker.Replies;

/// <summary>
/// Blue ticks for a conversation an operator opened: marks the customer's latest message read on
/// WhatsApp (which marks the earlier ones too). Graph errors are retried like any work; a
/// connection that cannot send simply skips it.
/// </summary>
public sealed class MarkReadHandler(LeadsPeerDbContext db, GraphApiClient graph, TokenProtector protector) : IWorkHandler
{
    public WorkKind Kind => WorkKind.MarkRead;

    public async Task<WorkResult> HandleAsync(WorkLease lease, CancellationToken cancellationToken)
    {
        var latest = await db.Messages.AsNoTracking()
            .Where(m => m.ConversationId == lease.SubjectId && m.Direction == MessageDirection.Inbound && m.WaMessageId != null)
            .OrderByDescending(m => m.CreatedAt).ThenByDescending(m => m.Id)
            .Select(m => m.WaMessageId)
            .FirstOrDefaultAsync(cancellationToken);
        var connection = await db.Conversations.Where(c => c.Id == lease.SubjectId)
            .Join(db.WhatsAppConnections, c => c.ConnectionId, w => w.Id, (_, w) => w)
            .AsNoTracking().SingleOrDefaultAsync(cancellationToken);
        if (latest is null || connection is not { Status: WhatsAppConnectionStatus.Active, EncryptedAccessToken: not null })
        {
            return WorkResult.Done;
        }

        var token = protector.AccessTokenOf(connection);
        await graph.MarkReadAsync(connection.Kind, connection.PhoneNumberId, token, latest, typing: false, cancellationToken);
        return WorkResult.Done;
    }
}
