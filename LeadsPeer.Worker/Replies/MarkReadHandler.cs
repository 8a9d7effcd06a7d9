using LeadsPeer.Core.Conversations;
using LeadsPeer.Core.Data;
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
public sealed class MarkReadHandler(LeadsPeerDbContext db, GraphGateway graph) : IWorkHandler
{
    public WorkKind Kind => WorkKind.MarkRead;

    public async Task<WorkResult> HandleAsync(WorkLease lease, CancellationToken cancellationToken)
    {
        var latest = await db.Messages.AsNoTracking()
            .Where(m => m.ConversationId == lease.SubjectId && m.Direction == MessageDirection.Inbound && m.WaMessageId != null)
            .OrderByDescending(m => m.CreatedAt).ThenByDescending(m => m.Id)
            .Select(m => m.WaMessageId)
            .FirstOrDefaultAsync(cancellationToken);
        if (latest is null || await graph.ForConversationAsync(lease.SubjectId, cancellationToken) is not { } connection)
        {
            return WorkResult.Done;
        }

        await connection.MarkReadAsync(latest, typing: false, cancellationToken);
        return WorkResult.Done;
    }
}
