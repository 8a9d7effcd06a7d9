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

    /// <summary>Who wrote it: the customer, the AI agent or an operator.</summary>
    public MessageAuthor Author { get; set; }

    /// <summary>The operator who wrote an outbound message.</summary>
    public Guid? AuthorUserId { get; set; }

    /// <summary>
    /// For an AI reply: the customer turn it answers (its last inbound message). Unique, so a
    /// turn is answered at most once whatever retries or crashes happen.
    /// </summary>
    public Guid? ReplyToTurn { get; set; }

    /// <summary>Meta's (or our own) error code when the message failed or is in doubt.</summary>
    public int? ErrorCode { get; set; }

    /// <summary>What went wrong, in words an operator can act on.</summary>
    public string? ErrorTitle { get; set; }
    public DateTimeOffset? StatusUpdatedAt { get; set; }

    /// <summary>
    /// For an AI answer: snapshots of the passages it used (JSON array of document name, location,
    /// excerpt), kept with the message so a later re-index or deletion does not erase why the AI
    /// said what it said.
    /// </summary>
    public string? Sources { get; set; }

    /// <summary>
    /// The component (a guided flow) that asked this outbound message's question: a customer's tap
    /// on one of its choices is routed there (<see cref="Interactive.TapRouter"/>). Null: nobody asked.
    /// </summary>
    public string? AskedBy { get; set; }

    /// <summary>For the reply to a customer's turn: what the agent decided (answer, decline, handoff, flow).</summary>
    public Agent.TurnOutcome? Outcome { get; set; }

    /// <summary>Why, in words for the operators (never shown to the customer).</summary>
    public string? OutcomeReason { get; set; }

    /// <summary>For inbound messages, when the customer sent it (Meta's timestamp); for outbound, when it was written.</summary>
    public DateTimeOffset CreatedAt { get; set; }
}

public enum MessageAuthor
{
    Customer,
    Agent,
    Operator,

    /// <summary>The product itself, e.g. the handoff message: sent even as the conversation changes hands.</summary>
    System,
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

    /// <summary>Being posted to Graph right now; found in this state after a crash, it becomes <see cref="InDoubt"/>.</summary>
    Sending,
    Sent,
    Delivered,
    Read,
    Failed,

    /// <summary>Not sent because the conversation changed hands first (an operator took over before the AI's reply left).</summary>
    Cancelled,

    /// <summary>A crash hid whether Graph accepted it: shown to operators, never resent automatically.</summary>
    InDoubt,
}
