using LeadsPeer.Core.Tenancy;

namespace LeadsPeer.Core.Conversations;

/// <summary>The thread between one contact and the organisation, and who is handling it.</summary>
public sealed class Conversation : ITenantOwned
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid TenantId { get; set; }
    public Guid ConnectionId { get; set; }
    public Guid ContactId { get; set; }
    public ConversationState State { get; set; } = ConversationState.Ai;

    /// <summary>The operator who claimed the conversation while it is <see cref="ConversationState.Human"/>.</summary>
    public Guid? AssignedUserId { get; set; }

    /// <summary>Why it waits for a human (while <see cref="ConversationState.NeedsHuman"/>), in words for the operators.</summary>
    public string? HandoffReason { get; set; }

    /// <summary>Since when it waits for a human; the inbox puts the longest wait first.</summary>
    public DateTimeOffset? WaitingSince { get; set; }

    /// <summary>The last customer message: WhatsApp allows free-form replies for 24 hours after it.</summary>
    public DateTimeOffset? LastInboundAt { get; set; }
    public DateTimeOffset? LastMessageAt { get; set; }

    /// <summary>When the organisation last read the thread (an operator opened it, or the AI took a turn); later customer messages are unread.</summary>
    public DateTimeOffset? LastReadAt { get; set; }

    /// <summary>
    /// When the 24-hour customer service window ends: 24 hours after the customer's last message,
    /// or earlier when Meta refused a send as outside it (131047). Free-form sends after it are refused.
    /// </summary>
    public DateTimeOffset? WindowExpiresAt { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

public enum ConversationState
{
    Ai,
    NeedsHuman,
    Human,
    Resolved,
}
