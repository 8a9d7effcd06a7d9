using System.Diagnostics.Metrics;
using LeadsPeer.Core.Accounts;
using LeadsPeer.Core.Audit;
using LeadsPeer.Core.Conversations;
using LeadsPeer.Core.Data;
using LeadsPeer.Core.Live;
using LeadsPeer.Core.Tenancy;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;

namespace LeadsPeer.Core.Privacy;

/// <summary>What an erasure removed, for the team's confirmation (counts only).</summary>
public sealed record ErasureSummary(Guid ContactId, int Conversations, int Messages);

/// <summary>
/// Erases an end customer at the business's request (the business is the controller; its Owners
/// and Admins act). Unsent messages to them are cancelled first, so no Worker starts posting one;
/// then, in one transaction, every table of <see cref="PersonalData"/> gives up what names or
/// quotes them, and the wamids and the customer are remembered as keyed hashes for
/// <see cref="ErasureKeys.Memory"/> so that Meta's redeliveries do not bring them back. The audit
/// trail records that a customer was erased, by whom and when — never their number or name.
/// A message already being posted to Graph when the erasure runs still reaches the customer; its
/// delivery statuses find no message and expire with the parked statuses.
/// </summary>
public sealed class CustomerErasure(
    LeadsPeerDbContext db,
    TenantContext tenant,
    CurrentMember member,
    MessageDelivery delivery,
    ErasureKeys keys,
    AuditLog audit,
    LiveEventPublisher live,
    TimeProvider time)
{
    private static readonly Counter<int> Erasures =
        CoreTelemetry.Meter.CreateCounter<int>("leadspeer.privacy.customers_erased", description: "End customers erased at their business's request (action contact.erase) or by its conversation retention (contact.expire).");

    public async Task<Outcome<ErasureSummary>> EraseAsync(Guid contactId, CancellationToken cancellationToken)
    {
        if (!member.Can(Permission.ManageCustomerData))
        {
            return UseCaseError.Forbidden("Only Owners and Admins can erase a customer.");
        }

        return await EraseAsync(contactId, "contact.erase", cancellationToken);
    }

    /// <summary>
    /// The organisation's own conversation retention: the same erasure, by the system (no member),
    /// recorded as expired rather than erased on request.
    /// </summary>
    public async Task<Outcome<ErasureSummary>> ExpireAsync(Guid contactId, CancellationToken cancellationToken) =>
        await EraseAsync(contactId, "contact.expire", cancellationToken);

    private async Task<Outcome<ErasureSummary>> EraseAsync(Guid contactId, string action, CancellationToken cancellationToken)
    {
        var contact = await db.Contacts.AsNoTracking().SingleOrDefaultAsync(k => k.Id == contactId, cancellationToken);
        if (contact is null)
        {
            return UseCaseError.NotFound("No such contact in this organisation.");
        }

        var tenantId = tenant.TenantId!.Value;
        await delivery.CancelForErasureAsync(contact.Id, cancellationToken);
        var phoneNumberId = await db.WhatsAppConnections.Where(c => c.Id == contact.ConnectionId).Select(c => c.PhoneNumberId).SingleAsync(cancellationToken);
        var (conversations, messages) = await EraseRowsAsync(tenantId, contact, phoneNumberId, action, time.GetUtcNow(), cancellationToken);

        Erasures.Add(1, new KeyValuePair<string, object?>("action", action));
        await RedisOutage.WaitBrieflyAsync(live.PublishAsync(tenantId, new LiveEvent(LiveEventTypes.ContactErased)));
        return new ErasureSummary(contact.Id, conversations, messages);
    }

    /// <summary>The one transaction: every registered table, the erasure memory and the audit entry, or none of them.</summary>
    private async Task<(int Conversations, int Messages)> EraseRowsAsync(
        Guid tenantId, Contact contact, string phoneNumberId, string action, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        // Ingest upserts the contact row: it waits here, and finds it gone afterwards.
        await ExecuteAsync("SELECT 1 FROM contacts WHERE tenant_id = @tenant AND id = @contact FOR UPDATE", tenantId, contact.Id, cancellationToken);
        await ExecuteAsync("""
            CREATE TEMP TABLE erasing_conversations ON COMMIT DROP AS
                SELECT id FROM conversations WHERE tenant_id = @tenant AND contact_id = @contact;
            CREATE TEMP TABLE erasing_messages ON COMMIT DROP AS
                SELECT m.id, m.wa_message_id AS wamid FROM messages m
                WHERE m.tenant_id = @tenant AND m.conversation_id IN (SELECT id FROM erasing_conversations);
            """, tenantId, contact.Id, cancellationToken);
        var conversationCount = await db.Database.SqlQueryRaw<int>("SELECT count(*)::int AS \"Value\" FROM erasing_conversations").SingleAsync(cancellationToken);
        var wamids = await db.Database.SqlQueryRaw<string>("SELECT wamid AS \"Value\" FROM erasing_messages WHERE wamid IS NOT NULL").ToListAsync(cancellationToken);
        var messageCount = await db.Database.SqlQueryRaw<int>("SELECT count(*)::int AS \"Value\" FROM erasing_messages").SingleAsync(cancellationToken);

        await db.Database.ExecuteSqlRawAsync("""
            INSERT INTO erased_messages (hash, expires_at) SELECT h, @expires FROM unnest(@hashes) AS h
            ON CONFLICT (hash) DO UPDATE SET expires_at = excluded.expires_at;
            INSERT INTO erased_customers (hash, erased_at, expires_at) VALUES (@customer, @now, @expires)
            ON CONFLICT (hash) DO UPDATE SET erased_at = excluded.erased_at, expires_at = excluded.expires_at;
            """,
            [
                new NpgsqlParameter("hashes", NpgsqlDbType.Array | NpgsqlDbType.Bytea) { Value = wamids.Select(keys.MessageHash).ToArray() },
                new NpgsqlParameter("customer", keys.CustomerHash(phoneNumberId, contact.CustomerKey)),
                new NpgsqlParameter("now", now),
                new NpgsqlParameter("expires", now + ErasureKeys.Memory),
            ], cancellationToken);

        foreach (var table in PersonalData.Tables)
        {
            await ExecuteAsync(table.Erase, tenantId, contact.Id, cancellationToken);
        }

        audit.Record(action, "contact", contact.Id, $"{conversationCount} conversation(s), {messageCount} message(s)");
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return (conversationCount, messageCount);
    }

    private Task<int> ExecuteAsync(string sql, Guid tenantId, Guid contactId, CancellationToken cancellationToken) =>
        db.Database.ExecuteSqlRawAsync(sql, [new NpgsqlParameter("tenant", tenantId), new NpgsqlParameter("contact", contactId)], cancellationToken);
}
