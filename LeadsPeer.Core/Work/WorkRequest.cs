namespace LeadsPeer.Core.Work;

/// <summary>What asking for the same work again (same kind, same subject) does to its row.</summary>
public enum WhenAskedAgain
{
    /// <summary>Nothing: the work is recorded once (a message to send, a media file to fetch).</summary>
    Keep,

    /// <summary>The row is re-armed: pending again, due at the new time, its generation moved on so a run under way leaves it pending.</summary>
    Rearm,

    /// <summary>Re-armed, but never due earlier than it already was: a turn's quiet time restarts, a redelivered older webhook does not shorten it.</summary>
    RearmNotEarlier,
}

/// <summary>
/// A request for work, one per kind and subject: the dedupe key is the kind's prefix and the
/// subject's id, so the same request made twice (a retried webhook, a second click) meets in one row.
/// </summary>
public sealed record WorkRequest(Guid TenantId, WorkKind Kind, Guid SubjectId, DateTimeOffset DueAt, WhenAskedAgain AskedAgain)
{
    public string DedupeKey => WorkSql.DedupePrefix(Kind) + SubjectId;

    /// <summary>Answer a conversation's turn once its quiet time has passed.</summary>
    public static WorkRequest Reply(Guid tenantId, Guid conversationId, DateTimeOffset dueAt) => new(tenantId, WorkKind.Reply, conversationId, dueAt, WhenAskedAgain.RearmNotEarlier);

    /// <summary>Post an outbound message to Graph; one row per message.</summary>
    public static WorkRequest Send(Guid tenantId, Guid messageId, DateTimeOffset now) => new(tenantId, WorkKind.Send, messageId, now, WhenAskedAgain.Keep);

    /// <summary>Blue ticks for an opened conversation; a burst of opens makes one Graph call.</summary>
    public static WorkRequest MarkRead(Guid tenantId, Guid conversationId, DateTimeOffset now) => new(tenantId, WorkKind.MarkRead, conversationId, now, WhenAskedAgain.Rearm);

    /// <summary>Index (or re-index) a knowledge document; a change while it runs runs it again.</summary>
    public static WorkRequest IndexDocument(Guid tenantId, Guid documentId, DateTimeOffset now) => new(tenantId, WorkKind.IndexDocument, documentId, now, WhenAskedAgain.Rearm);

    /// <summary>Keep an inbound media file while Graph's URL is fresh.</summary>
    public static WorkRequest FetchMedia(Guid tenantId, Guid messageId, DateTimeOffset now) => new(tenantId, WorkKind.FetchMedia, messageId, now, WhenAskedAgain.Keep);

    /// <summary>Build an organisation's export ZIP; one row per export.</summary>
    public static WorkRequest ExportOrganization(Guid tenantId, Guid exportId, DateTimeOffset now) => new(tenantId, WorkKind.ExportOrganization, exportId, now, WhenAskedAgain.Keep);

    /// <summary>
    /// A booking's next reminder, one row per booking: re-armed for each reminder in turn and for a
    /// move (the new time's reminders). Never dispatched ahead: the sweeper finds it once due.
    /// </summary>
    public static WorkRequest BookingReminder(Guid tenantId, Guid bookingId, DateTimeOffset dueAt) => new(tenantId, WorkKind.BookingReminder, bookingId, dueAt, WhenAskedAgain.Rearm);

    /// <summary>
    /// The end of a guided flow's step unanswered, one row per conversation: re-armed by each
    /// question the flow asks. Never dispatched ahead: the sweeper finds it once due.
    /// </summary>
    public static WorkRequest FlowLapse(Guid tenantId, Guid conversationId, DateTimeOffset dueAt) => new(tenantId, WorkKind.FlowLapse, conversationId, dueAt, WhenAskedAgain.Rearm);
}

/// <summary>
/// The one statement that creates or re-arms work rows. <see cref="WorkRows"/> runs it with
/// values; webhook ingest embeds it in its own statement with values taken from the rows it just
/// wrote (so a message and its reply work commit together, in one round trip).
/// </summary>
public static class WorkSql
{
    public static string DedupePrefix(WorkKind kind) => kind switch
    {
        WorkKind.Reply => "reply:",
        WorkKind.Send => "send:",
        WorkKind.MarkRead => "read:",
        WorkKind.IndexDocument => "index:",
        WorkKind.FetchMedia => "media:",
        WorkKind.ExportOrganization => "export:",
        WorkKind.BookingReminder => "remind:",
        WorkKind.FlowLapse => "lapse:",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    /// <summary>
    /// <c>INSERT … SELECT</c> of one work row of <paramref name="kind"/>: each argument is an SQL
    /// expression (a parameter or a column of <paramref name="from"/>), the dedupe key is the
    /// kind's prefix and <paramref name="subjectId"/>. Returns the row's id (nothing when
    /// <see cref="WhenAskedAgain.Keep"/> met an existing row).
    /// </summary>
    public static string Arm(WorkKind kind, WhenAskedAgain askedAgain, string id, string tenantId, string subjectId, string dueAt, string now, string from = "")
    {
        var conflict = askedAgain switch
        {
            WhenAskedAgain.Keep => "DO NOTHING",
            _ => $"""
                DO UPDATE SET
                    generation = work_items.generation + 1,
                    due_at = {(askedAgain == WhenAskedAgain.RearmNotEarlier ? "greatest(work_items.due_at, excluded.due_at)" : "excluded.due_at")},
                    state = CASE WHEN work_items.state = 'Running' THEN 'Running' ELSE 'Pending' END,
                    attempts = CASE WHEN work_items.state = 'Running' THEN work_items.attempts ELSE 0 END,
                    last_error = NULL,
                    updated_at = excluded.updated_at
                """,
        };
        return $"""
            INSERT INTO work_items (id, tenant_id, kind, subject_id, dedupe_key, state, attempts, generation, due_at, created_at, updated_at)
            SELECT {id}, {tenantId}, '{kind}', {subjectId}, '{DedupePrefix(kind)}' || {subjectId}, 'Pending', 0, 0, {dueAt}, {now}, {now}
            {from}
            ON CONFLICT (kind, dedupe_key) {conflict}
            RETURNING id, tenant_id
            """;
    }
}
