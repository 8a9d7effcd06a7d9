using LeadsPeer.Core.Audit;
using LeadsPeer.Core.Data;
using LeadsPeer.Core.Live;
using Microsoft.EntityFrameworkCore;

namespace LeadsPeer.Core.Conversations;

/// <summary>
/// The system's side of the state machine: the AI (or a rule about what the customer wrote) hands
/// a conversation it is handling to the operators. Same rule, same conditional update, same audit
/// trail as the operators' actions, with no person as the actor.
/// </summary>
public sealed class AgentHandoff(LeadsPeerDbContext db, LiveEventPublisher live, TimeProvider time)
{
    /// <summary>Moves the conversation from <see cref="ConversationState.Ai"/> to waiting for a human; false when it was no longer the AI's.</summary>
    public async Task<bool> ToHumanAsync(Guid conversationId, string reason, CancellationToken cancellationToken)
    {
        var rule = ConversationStateMachine.For(ConversationAction.Handoff);
        var from = rule.From.ToArray();
        var now = time.GetUtcNow();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var tenantId = await db.Conversations.Where(c => c.Id == conversationId).Select(c => c.TenantId).SingleAsync(cancellationToken);
        var changed = await db.Conversations.Where(c => c.Id == conversationId && from.Contains(c.State))
            .ExecuteUpdateAsync(s => s
                .SetProperty(c => c.State, rule.To)
                .SetProperty(c => c.AssignedUserId, (Guid?)null)
                .SetProperty(c => c.HandoffReason, reason)
                .SetProperty(c => c.WaitingSince, now), cancellationToken);
        if (changed == 0)
        {
            return false;
        }

        db.AuditEntries.Add(new AuditEntry
        {
            TenantId = tenantId,
            Action = "conversation.handoff",
            EntityType = "conversation",
            EntityId = conversationId,
            Details = reason,
            CreatedAt = now,
        });
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        await live.PublishAsync(tenantId, new LiveEvent(LiveEventTypes.ConversationStateChanged, conversationId, Status: rule.To.ToString()));
        return true;
    }
}
