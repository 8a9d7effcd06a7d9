using LeadsPeer.Core.Accounts;
using LeadsPeer.Core.Audit;
using LeadsPeer.Core.Data;
using LeadsPeer.Core.Tenancy;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace LeadsPeer.Core.Privacy;

/// <summary>
/// Everything held about one end customer, as one JSON document the business hands over when the
/// customer asks (the sections are the ones <see cref="PersonalData"/> names for export): their
/// profile and opt-out state, their conversations with every message, and their media files'
/// metadata. Audited, since it carries personal data out of the product.
/// </summary>
public sealed class CustomerExport(LeadsPeerDbContext db, TenantContext tenant, CurrentMember member, AuditLog audit, TimeProvider time)
{
    private const string Document = """
        SELECT json_build_object(
            'exportedAt', @now,
            'contact', (SELECT json_build_object(
                    'id', k.id, 'waId', k.wa_id, 'userId', k.user_id, 'profileName', k.profile_name,
                    'displayName', k.display_name, 'optedOutAt', k.opted_out_at, 'restrictedAt', k.restricted_at, 'createdAt', k.created_at,
                    'businessNumber', c.display_phone_number)
                FROM contacts k JOIN whats_app_connections c ON c.id = k.connection_id
                WHERE k.tenant_id = @tenant AND k.id = @contact),
            'conversations', (SELECT coalesce(json_agg(json_build_object(
                    'id', v.id, 'state', v.state, 'handoffReason', v.handoff_reason, 'createdAt', v.created_at,
                    'lastMessageAt', v.last_message_at,
                    'messages', (SELECT coalesce(json_agg(json_build_object(
                            'id', m.id, 'direction', m.direction, 'author', m.author, 'type', m.type, 'text', m.text,
                            'payload', m.payload, 'status', m.status, 'createdAt', m.created_at) ORDER BY m.created_at, m.id), '[]'::json)
                        FROM messages m WHERE m.tenant_id = @tenant AND m.conversation_id = v.id))
                    ORDER BY v.created_at), '[]'::json)
                FROM conversations v WHERE v.tenant_id = @tenant AND v.contact_id = @contact),
            'mediaFiles', (SELECT coalesce(json_agg(json_build_object(
                    'id', f.id, 'messageId', f.message_id, 'mimeType', f.mime_type, 'size', f.size, 'createdAt', f.created_at)), '[]'::json)
                FROM media_files f JOIN messages m ON m.id = f.message_id JOIN conversations v ON v.id = m.conversation_id
                WHERE f.tenant_id = @tenant AND v.contact_id = @contact),
            'orders', (SELECT coalesce(json_agg(json_build_object(
                    'reference', o.reference, 'status', o.status, 'fulfilment', o.fulfilment, 'deliveryArea', o.delivery_area, 'address', o.address,
                    'pickupTime', o.pickup_time, 'paymentMethod', o.payment_method, 'currency', o.currency, 'subtotalMinor', o.subtotal_minor,
                    'deliveryFeeMinor', o.delivery_fee_minor, 'totalMinor', o.total_minor, 'cancelReason', o.cancel_reason, 'createdAt', o.created_at,
                    'lines', (SELECT coalesce(json_agg(json_build_object('sku', l.sku, 'name', l.name, 'unitPriceMinor', l.unit_price_minor, 'quantity', l.quantity)), '[]'::json)
                        FROM order_lines l WHERE l.order_id = o.id)) ORDER BY o.created_at), '[]'::json)
                FROM orders o WHERE o.tenant_id = @tenant AND o.contact_id = @contact),
            'bookings', (SELECT coalesce(json_agg(json_build_object(
                    'reference', b.reference, 'service', b.service_name, 'staff', b.staff_name, 'start', b.start_at, 'end', b.end_at,
                    'status', b.status, 'notes', b.notes, 'cancelReason', b.cancel_reason, 'earlierTimes', b.moves, 'createdAt', b.created_at)
                    ORDER BY b.start_at), '[]'::json)
                FROM bookings b WHERE b.tenant_id = @tenant AND b.contact_id = @contact))::text AS "Value"
        """;

    /// <summary>The document as JSON text, or why not.</summary>
    public async Task<Outcome<string>> ExportAsync(Guid contactId, CancellationToken cancellationToken)
    {
        if (!member.Can(Permission.ManageCustomerData))
        {
            return UseCaseError.Forbidden("Only Owners and Admins can export a customer's data.");
        }

        if (!await db.Contacts.AnyAsync(k => k.Id == contactId, cancellationToken))
        {
            return UseCaseError.NotFound("No such contact in this organisation.");
        }

        var json = await db.Database.SqlQueryRaw<string>(Document,
                new NpgsqlParameter("tenant", tenant.TenantId!.Value), new NpgsqlParameter("contact", contactId), new NpgsqlParameter("now", time.GetUtcNow()))
            .SingleAsync(cancellationToken);
        audit.Record("contact.export", "contact", contactId);
        await db.SaveChangesAsync(cancellationToken);
        return json;
    }
}
