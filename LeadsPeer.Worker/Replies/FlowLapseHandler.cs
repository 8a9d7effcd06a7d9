using LeadsPeer.Core.Data;
using LeadsPeer.Core.Flows;
using LeadsPeer.Core.Work;
using LeadsPeer.Worker.Work;
using Microsoft.EntityFrameworkCore;

namespace LeadsPeer.Worker.Replies;

/// <summary>
/// A guided flow's question left unanswered past <c>Channel__FlowStepTimeout</c>: the flow ends
/// and the customer is told they can pick it up again (<see cref="GuidedFlows.LapseAsync"/>, the
/// flow's one owner). Its row is re-armed by every question, so it runs only for the last one;
/// a flow that moved on, finished or was paused by an operator is left as it is.
/// </summary>
public sealed class FlowLapseHandler(LeadsPeerDbContext db, GuidedFlows flows) : IWorkHandler
{
    public WorkKind Kind => WorkKind.FlowLapse;

    public async Task<WorkResult> HandleAsync(WorkLease lease, CancellationToken cancellationToken)
    {
        if (await db.Conversations.SingleOrDefaultAsync(c => c.Id == lease.SubjectId, cancellationToken) is { } conversation)
        {
            await flows.LapseAsync(conversation, cancellationToken);
        }

        return WorkResult.Done;
    }
}
