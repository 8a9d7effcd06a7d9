namespace LeadsPeer.Core.Privacy;

/// <summary>
/// One table that holds or points at an end customer's data, and what erasure and export do
/// with it. <see cref="Erase"/> runs inside the erasure's transaction, after the temporary tables
/// <c>erasing_conversations(id)</c> and <c>erasing_messages(id, wamid)</c> are filled; it is bound
/// to <c>@tenant</c> and <c>@contact</c>. <see cref="Export"/> says where the customer's export
/// carries the table's rows, or why it does not.
/// </summary>
public sealed record PersonalTable(string Table, string LinkColumn, string Erase, string Export);

/// <summary>
/// The registry of every table that names, quotes or points at an end customer. Erasure runs its
/// statements in this order (rows that point at others first), and a test compares it with the
/// schema: a table with a <c>contact_id</c>, <c>conversation_id</c> or <c>message_id</c> column
/// (or any other column listed in <see cref="LinkColumns"/>) that is not registered here fails
/// the build, so a later feature's table cannot be forgotten.
/// </summary>
public static class PersonalData
{
    /// <summary>The columns by which a table points at a customer, their conversation or their messages.</summary>
    public static readonly IReadOnlyList<string> LinkColumns = ["contact_id", "conversation_id", "message_id", "wa_message_id", "subject_id", "recipient"];

    public static readonly IReadOnlyList<PersonalTable> Tables =
    [
        new("work_items", "subject_id",
            """
            DELETE FROM work_items w WHERE w.tenant_id = @tenant
              AND (w.subject_id IN (SELECT id FROM erasing_conversations) OR w.subject_id IN (SELECT id FROM erasing_messages))
            """,
            "Not exported: a work row only says which reply or send is due; it holds nothing of the customer's."),
        new("parked_statuses", "wa_message_id",
            """
            DELETE FROM parked_statuses p WHERE p.tenant_id = @tenant
              AND p.wa_message_id IN (SELECT wamid FROM erasing_messages WHERE wamid IS NOT NULL)
            """,
            "Not exported: a delivery status waiting for its message is part of that message's status."),
        new("media_files", "message_id",
            """
            DELETE FROM media_files f WHERE f.tenant_id = @tenant AND f.message_id IN (SELECT id FROM erasing_messages)
            """,
            "mediaFiles: each file's message, type and size (the files themselves are shown in the dashboard)."),
        new("sandbox_messages", "recipient",
            """
            DELETE FROM sandbox_messages s USING contacts k
            WHERE s.tenant_id = @tenant AND k.id = @contact AND s.connection_id = k.connection_id AND s.recipient = k.wa_id
            """,
            "Not exported: the sandbox's copy of what was sent repeats the conversation's outbound messages."),
        new("idempotency_keys", "body",
            // A kept answer to an operator's reply quotes the message and names its conversation.
            """
            DELETE FROM idempotency_keys i WHERE i.tenant_id = @tenant AND i.body IS NOT NULL
              AND EXISTS (SELECT 1 FROM erasing_conversations c WHERE position(convert_to(c.id::text, 'UTF8') IN i.body) > 0)
            """,
            "Not exported: a kept API answer repeats a message already in the export."),
        new("audit_entries", "entity_id",
            // The trail keeps who did what and when; its details (an AI-written handoff reason can quote the customer) go.
            """
            UPDATE audit_entries a SET details = NULL WHERE a.tenant_id = @tenant AND a.details IS NOT NULL
              AND (a.entity_id = @contact OR a.entity_id IN (SELECT id FROM erasing_conversations) OR a.entity_id IN (SELECT id FROM erasing_messages))
            """,
            "Not exported: the audit trail records the team's actions, not the customer's data."),
        new("flow_states", "conversation_id",
            """
            DELETE FROM flow_states s WHERE s.tenant_id = @tenant AND s.conversation_id IN (SELECT id FROM erasing_conversations)
            """,
            "Not exported: a guided flow's answers are the customer's own messages, which the export carries."),
        new("orders", "contact_id",
            // The business's books keep the order (lines, totals, status); who ordered it and where it went do not stay.
            """
            UPDATE orders o SET contact_id = NULL, conversation_id = NULL, customer_name = NULL, address = NULL, pickup_time = NULL
            WHERE o.tenant_id = @tenant AND (o.contact_id = @contact OR o.conversation_id IN (SELECT id FROM erasing_conversations))
            """,
            "orders: reference, status, lines, totals, delivery details and times."),
        new("bookings", "contact_id",
            // The business's calendar keeps the booking (service, staff, time, status); who booked it and their notes do not stay.
            """
            UPDATE bookings b SET contact_id = NULL, conversation_id = NULL, customer_name = NULL, notes = NULL
            WHERE b.tenant_id = @tenant AND (b.contact_id = @contact OR b.conversation_id IN (SELECT id FROM erasing_conversations))
            """,
            "bookings: reference, service, staff, times, status, notes and earlier times."),
        new("messages", "conversation_id",
            """
            DELETE FROM messages m WHERE m.tenant_id = @tenant AND m.id IN (SELECT id FROM erasing_messages)
            """,
            "conversations[].messages: direction, author, type, text, Meta's payload, status and time."),
        new("conversations", "contact_id",
            """
            DELETE FROM conversations v WHERE v.tenant_id = @tenant AND v.contact_id = @contact
            """,
            "conversations: state, handoff reason, window and times."),
        new("contacts", "id",
            """
            DELETE FROM contacts k WHERE k.tenant_id = @tenant AND k.id = @contact
            """,
            "contact: number, WhatsApp ids, profile name and opt-out state."),
    ];
}
