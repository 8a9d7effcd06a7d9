using System.Text.RegularExpressions;

namespace LeadsPeer.Core.WhatsApp.Webhooks;

/// <summary>
/// The statements of webhook ingest, in one place: <see cref="WebhookIngest"/> runs them and the
/// ingest benchmark hands the very same text to <c>pgbench</c>. Parameters are written
/// <c>@name</c> and bound by position. They cross tenants on purpose: the tenant is found from
/// the phone number Meta names, and every row written carries that connection's tenant.
/// </summary>
public static partial class IngestSql
{
    private const string Connection = "c.phone_number_id = @pn AND c.status <> 'Removed'";

    // sent < delivered < read; failed is final and handled apart.
    private static string Rank(string status) =>
        $"(CASE {status} WHEN 'Sent' THEN 1 WHEN 'Delivered' THEN 2 WHEN 'Read' THEN 3 ELSE 0 END)";

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
    /// The conversation moves only for a message newer than any before it: the 24-hour window,
    /// the inbox order, and a resolved conversation reopened (a redelivered older message does
    /// none of that). The reply work is one row per conversation, re-armed by each new message of
    /// the turn: the quiet time restarts and the generation moves on, so a run already under way
    /// leaves the row pending for the newer messages instead of finishing it. The last column says
    /// whether the conversation is new (<c>xmax = 0</c> only on a row this statement inserted).
    /// </summary>
    public const string StoreMessage = $"""
        WITH c AS (
            SELECT c.id, c.tenant_id FROM whats_app_connections c WHERE {Connection}),
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
            SELECT @conversation_id, k.tenant_id, k.connection_id, k.id, 'Ai', @sent_at, @sent_at, @sent_at + interval '24 hours', @now FROM contact k
            ON CONFLICT (contact_id) DO UPDATE SET
                state = CASE WHEN conversations.state = 'Resolved' AND excluded.last_inbound_at > conversations.last_inbound_at
                    THEN 'Ai' ELSE conversations.state END,
                window_expires_at = CASE WHEN conversations.last_inbound_at IS NULL OR excluded.last_inbound_at > conversations.last_inbound_at
                    THEN greatest(conversations.window_expires_at, excluded.window_expires_at) ELSE conversations.window_expires_at END,
                last_inbound_at = greatest(conversations.last_inbound_at, excluded.last_inbound_at),
                last_message_at = greatest(conversations.last_message_at, excluded.last_message_at)
            RETURNING id, tenant_id, xmax = 0 AS created),
        message AS (
            INSERT INTO messages (id, tenant_id, conversation_id, direction, wa_message_id, type, text, payload, status, author, created_at)
            SELECT @message_id, v.tenant_id, v.id, 'Inbound', @wamid, @type, @text, @payload::jsonb, 'Received', 'Customer', @sent_at FROM conversation v
            ON CONFLICT (wa_message_id) DO NOTHING
            RETURNING id, tenant_id, conversation_id),
        reply AS (
            INSERT INTO work_items (id, tenant_id, kind, subject_id, dedupe_key, state, attempts, generation, due_at, created_at, updated_at)
            SELECT @work_id, m.tenant_id, 'Reply', m.conversation_id, 'reply:' || m.conversation_id, 'Pending', 0, 0, @due_at, @now, @now
            FROM message m WHERE @arm_reply
            ON CONFLICT (kind, dedupe_key) DO UPDATE SET
                generation = work_items.generation + 1,
                due_at = greatest(work_items.due_at, excluded.due_at),
                state = CASE WHEN work_items.state = 'Running' THEN 'Running' ELSE 'Pending' END,
                attempts = CASE WHEN work_items.state = 'Running' THEN work_items.attempts ELSE 0 END,
                last_error = NULL,
                updated_at = excluded.updated_at
            RETURNING id)
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
    public const string ArmMediaFetch = """
        INSERT INTO work_items (id, tenant_id, kind, subject_id, dedupe_key, state, attempts, generation, due_at, created_at, updated_at)
        SELECT @work_id, m.tenant_id, 'FetchMedia', m.id, 'media:' || m.id, 'Pending', 0, 0, @now, @now, @now
        FROM messages m WHERE m.id = @message_id
        ON CONFLICT (kind, dedupe_key) DO NOTHING
        RETURNING id, tenant_id
        """;

    /// <summary>
    /// Serialises a status with the send that records the same wamid, so a status that beats
    /// the send's commit is parked before the send looks for parked statuses, never after.
    /// </summary>
    public const string LockWamid = "SELECT pg_advisory_xact_lock(hashtextextended(@wamid, 0))";

    /// <summary>Forward only; failed is final. A status for a wamid not stored yet is parked.</summary>
    public static readonly string ApplyStatus = $"""
        WITH c AS (SELECT c.tenant_id FROM whats_app_connections c WHERE {Connection}),
        updated AS (
            UPDATE messages m SET status = @status, status_updated_at = @occurred_at,
                error_code = coalesce(@error_code, m.error_code), error_title = coalesce(@error_title, m.error_title)
            FROM c WHERE m.wa_message_id = @wamid AND m.tenant_id = c.tenant_id AND m.status <> 'Failed'
                AND (@status = 'Failed' OR {Rank("m.status")} < {Rank("@status")})
            RETURNING m.id, m.tenant_id, m.conversation_id),
        parked AS (
            INSERT INTO parked_statuses (id, tenant_id, wa_message_id, status, error_code, error_title, occurred_at, created_at)
            SELECT @parked_id, c.tenant_id, @wamid, @status, @error_code, @error_title, @occurred_at, @now FROM c
            WHERE NOT EXISTS (SELECT 1 FROM messages m WHERE m.wa_message_id = @wamid)
            RETURNING id)
        SELECT id, tenant_id, conversation_id FROM updated
        """;

    /// <summary>Run by the sender right after it records a wamid (under <see cref="LockWamid"/>): the best parked status wins.</summary>
    public static readonly string ApplyParkedStatuses = $"""
        WITH parked AS (
            DELETE FROM parked_statuses WHERE wa_message_id = @wamid AND tenant_id = @tenant_id
            RETURNING status, error_code, error_title, occurred_at),
        best AS (
            SELECT * FROM parked ORDER BY (status = 'Failed') DESC, {Rank("status")} DESC LIMIT 1)
        UPDATE messages m SET status = best.status, status_updated_at = best.occurred_at,
            error_code = coalesce(best.error_code, m.error_code), error_title = coalesce(best.error_title, m.error_title)
        FROM best
        WHERE m.wa_message_id = @wamid AND m.tenant_id = @tenant_id AND m.status <> 'Failed'
            AND (best.status = 'Failed' OR {Rank("m.status")} < {Rank("best.status")})
        RETURNING m.status
        """;

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
