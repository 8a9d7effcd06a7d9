using System.Text.Json;
using LeadsPeer.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace LeadsPeer.Core.Flows;

/// <summary>
/// A conversation's guided flow as the team sees it beside the thread: which flow, the question it
/// waits on, since when and until when, and what the customer chose so far (the flow's own keys;
/// features say them in words — the ordering cart, the booking choice).
/// </summary>
public sealed record FlowInProgressView(string Flow, string Step, DateTimeOffset Since, DateTimeOffset EndsAt, IReadOnlyDictionary<string, string> Data);

/// <summary>Reads a conversation's flow for the dashboard; <see cref="GuidedFlows"/> alone writes it.</summary>
public sealed class FlowQueries(LeadsPeerDbContext db)
{
    /// <summary>The flow the conversation is in, or null (none, or its step ended unanswered).</summary>
    public async Task<FlowInProgressView?> InProgressAsync(Guid conversationId, CancellationToken cancellationToken)
    {
        var state = await db.FlowStates.AsNoTracking().SingleOrDefaultAsync(s => s.ConversationId == conversationId, cancellationToken);
        return state is null
            ? null
            : new FlowInProgressView(state.Flow, state.Step, state.UpdatedAt, state.ExpiresAt,
                JsonSerializer.Deserialize<Dictionary<string, string>>(state.Data) ?? []);
    }
}
