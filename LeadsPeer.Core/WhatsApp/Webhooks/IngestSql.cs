using System.Text.RegularExpressions;
using LeadsPeer.Core.Conversations;
using LeadsPeer.Core.Work;

namespace LeadsPeer.Core.WhatsApp.Webhooks;

/// <summary>
/// The statements of webhook ingest, in one place: <see cref="WebhookWriter"/> runs them and the
/// ingest benchmark hands the very same text to <c>pgbench</c>. Parameters are written
/// <c>@name</c> and bound by position. They cross tenants on purpose: the tenant is found from
/// the phone number Meta names, and every row written carries that connection's tenant.
/// </summary>
public static partial class IngestSql
{
    /// <summary>A removed number, or one suspended while its organisation closes, stores nothing: its webhooks are answered and dropped.</summary>
    private const string Connection = "c.phone_number_id = @pn AND c.status <> 'Removed' AND c.suspended_at IS NULL";

    public const string FindConnection = $"""
        SELECT c.tenant_id FROM whats_app_connections c WHERE {Connection}
        """;

    /// <summary>The connection's "last webhook" for its health view, written at most once a minute.</summary>
    public const string TouchConnection = $"""
        UPDATE whats_app_connections c SET last_webhook_at = @now
        WHERE {Connection} AND (c.last_webhook_at IS NULL OR c.last_webhook_at < @now - interval '1 minute')
        RETURNING c.id
        """;

    /// <summary>
    /// One customer message, in one statement: the customer (keyed on number and
    /// <c>user_id ?? wa_id</c>, both ids kept), their conversation, the message (unique on its
    /// wamid: a redelivery inserts nothing and everything that hangs on it stays as it was) and,
    /// when <c>@arm_reply</c>, the turn's reply work. The upserts always update, so they always
    /// return their row — also one a concurrent webhook committed a moment ago.
    /// The conversation moves only for a message newer than any before it: the 24-hour window
    /// (on sandbox numbers their own setting or <c>@sandbox_window</c>, so what happens once it closes can be tried),
    /// the inbox order, and a resolved conversation reopened (a redelivered older message does
    /// none of that; the reopen is the state machine's <see cref="ConversationAction.CustomerReturns"/>,
    /// its guard and effects written by it). The reply work (<see cref="WorkSql.Arm"/>) is one row
    /// per conversation, re-armed by each new message of the turn: the quiet time restarts and the generation moves on, so a run already under way
    /// leaves the row pending for the newer messages instead of finishing it. A message of an erased
    /// customer (its wamid, or sent by them before their erasure: <see cref="Privacy.ErasureKeys"/>)
    /// stores nothing, so a redelivery does not bring them back. The last column says
    /// whether the conversation is new (<c>xmax = 0</c> only on a row this statement inserted).
    /// </summary>
    public static readonly string StoreMessage = $"""
        WITH c AS (
            SELECT c.id, c.tenant_id, c.kind, c.sandbox_service_window FROM whats_app_connections c WHERE {Connection}
              AND NOT EXISTS (SELECT 1 FROM erased_messages e WHERE e.hash = ANY(@erased_message))
              AND NOT EXISTS (SELECT 1 FROM erased_customers e WHERE e.hash = ANY(@erased_customer) AND @sent_at <= e.erased_at)),
        contact AS (
            INSERT INTO contacts (id, tenant_id, connection_id, customer_key, wa_id, user_id, profile_name, created_at)
            SELECT @contact_id, c.tenant_id, c.id, @customer_key, @wa_id, @user_id, @profile_name, @now FROM c
            ON CONFLICT (connection_id, customer_key) DO UPDATE SET
                wa_id = coalesce(excluded.wa_id, contacts.wa_id),
                user_id = coalesce(excluded.user_id, contacts.user_id),
                profile_name = coalesce(excluded.profile_name, contacts.profile_name)
            RETURNING id, tenant_id, connection_id),
        conversation AS (
            INSERT INTO conversations (id, tenant_id, connection_id, contact_id, state, last_inbound_at, last_message_at, window_expires_at, created_at)
            SELECT @conversation_id, k.tenant_id, k.connection_id, k.id, '{ConversationStateMachine.Initial}', @sent_at, @sent_at,
                @sent_at + CASE WHEN c.kind = '{nameof(WhatsAppConnectionKind.Sandbox)}' THEN coalesce(c.sandbox_service_window, @sandbox_window) ELSE interval '24 hours' END, @now
            FROM contact k JOIN c ON c.id = k.connection_id
            ON CONFLICT (contact_id) DO UPDATE SET
                {ConversationStateMachine.CustomerReturnsSql("conversations", "excluded")},
                window_expires_at = CASE WHEN conversations.last_inbound_at IS NULL OR excluded.last_inbound_at > conversations.last_inbound_at
                    THEN excluded.window_expires_at ELSE conversations.window_expires_at END,
                last_inbound_at = greatest(conversations.last_inbound_at, excluded.last_inbound_at),
                last_message_at = greatest(conversations.last_message_at, excluded.last_message_at)
            RETURNING id, tenant_id, xmax = 0 AS created),
        message AS (
            INSERT INTO messages (id, tenant_id, conversation_id, direction, wa_message_id, type, text, payload, status, author, created_at)
            SELECT @message_id, v.tenant_id, v.id, 'Inbound', @wamid, @type, @text, @payload::jsonb, 'Received', 'Customer', @sent_at FROM conversation v
            ON CONFLICT (wa_message_id) DO NOTHING
            RETURNING id, tenant_id, conversation_id),
        reply AS (
            {WorkSql.Arm(WorkKind.Reply, WhenAskedAgain.RearmNotEarlier, "@work_id", "m.tenant_id", "m.conversation_id", "@due_at", "@now", "FROM message m WHERE @arm_reply")})
        SELECT m.id, m.tenant_id, m.conversation_id, r.id, v.created
        FROM message m JOIN conversation v ON v.id = m.conversation_id LEFT JOIN reply r ON true
        """;

    /// <summary>Only for a new message that is an opt-out (or opt-in) word.</summary>
    public const string SetOptOut = """
        UPDATE contacts k SET opted_out_at = CASE WHEN @opt_out THEN coalesce(k.opted_out_at, @sent_at) END
        FROM messages m JOIN conversations v ON v.id = m.conversation_id
        WHERE m.id = @message_id AND k.id = v.contact_id
        RETURNING k.id
        """;

    /// <summary>Only for a new media message, when media files are kept: fetch it while Graph's URL is fresh.</summary>
    public static readonly string ArmMediaFetch =
        WorkSql.Arm(WorkKind.FetchMedia, WhenAskedAgain.Keep, "@work_id", "m.tenant_id", "m.id", "@now", "@now", "FROM messages m WHERE m.id = @message_id");

    /// <summary>Delivery statuses: the moves are <see cref="MessageDelivery"/>'s, run here in ingest's batch.</summary>
    public const string LockWamid = MessageDelivery.LockWamidSql;

    /// <inheritdoc cref="MessageDelivery.ApplyStatusSql"/>
    public static readonly string ApplyStatus = MessageDelivery.ApplyStatusSql(Connection);

    /// <summary><c>@name</c> placeholders as <c>$1…$n</c>, with the names in binding order.</summary>
    public static (string Sql, IReadOnlyList<string> Names) Positional(string sql)
    {
        var names = new List<string>();
        var text = Placeholder().Replace(sql, match =>
        {
            var index = names.IndexOf(match.Groups[1].Value);
            if (index < 0)
            {
                names.Add(match.Groups[1].Value);
                index = names.Count - 1;
            }

            return "$" + (index + 1);
        });
        return (text, names);
    }

    [GeneratedRegex(@"(?<![:@\w])@(\w+)")]
    private static partial Regex Placeholder();
}
