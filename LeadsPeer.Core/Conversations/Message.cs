using LeadsPeer.Core.Tenancy;

namespace LeadsPeer.Core.Conversations;

/// <summary>One message in a conversation, from the customer or to them.</summary>
public sealed class Message : ITenantOwned
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid TenantId { get; set; }
    public Guid ConversationId { get; set; }
    public MessageDirection Direction { get; set; }

    /// <summary>WhatsApp's message id (<c>wamid</c>). Unique: Meta delivers webhooks at least once.</summary>
    public string? WaMessageId { get; set; }

    /// <summary>WhatsApp's message type (<c>text</c>, <c>interactive</c>, <c>image</c>, …).</summary>
    public required string Type { get; set; }
    public string? Text { get; set; }

    /// <summary>The type-specific fields, as Meta sent them or as we will send them (JSON).</summary>
    public string? Payload { get; set; }
    public MessageStatus Status { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

public enum MessageDirection
{
    Inbound,
    Outbound,
}

/// <summary>Delivery state; moves forward only (sent &lt; delivered &lt; read), failed is final.</summary>
public enum MessageStatus
{
    Received,
    Pending,
    Sent,
    Delivered,
    Read,
    Failed,
    InDoubt,
}
