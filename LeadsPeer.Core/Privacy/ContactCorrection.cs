using LeadsPeer.Core.Accounts;
using LeadsPeer.Core.Audit;
using LeadsPeer.Core.Conversations;
using LeadsPeer.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace LeadsPeer.Core.Privacy;

/// <summary>
/// Correction and restriction at a customer's request (Owners and Admins): the team's name for
/// the contact, kept apart from the WhatsApp profile name that ingest keeps current, and "do not
/// process" — the AI stops answering them and templates are refused. Audited without the name.
/// </summary>
public sealed class ContactCorrection(LeadsPeerDbContext db, CurrentMember member, AuditLog audit, TimeProvider time)
{
    /// <param name="displayName">The team's name; empty or null goes back to the profile name.</param>
    /// <param name="doNotProcess">Restricts (true) or lifts the restriction (false); null leaves it.</param>
    public async Task<Outcome<ContactView>> UpdateAsync(Guid contactId, string? displayName, bool? doNotProcess, CancellationToken cancellationToken)
    {
        if (!member.Can(Permission.ManageCustomerData))
        {
            return UseCaseError.Forbidden("Only Owners and Admins can correct or restrict a customer's data.");
        }

        string? name = null;
        if (!string.IsNullOrWhiteSpace(displayName) && (name = PlainTextName.Validate(displayName, "The name", out var error)) is null)
        {
            return UseCaseError.Invalid("displayName", error!);
        }

        var contact = await db.Contacts.SingleOrDefaultAsync(k => k.Id == contactId, cancellationToken);
        if (contact is null)
        {
            return UseCaseError.NotFound("No such contact in this organisation.");
        }

        if (contact.DisplayName != name)
        {
            contact.DisplayName = name;
            audit.Record("contact.correct", "contact", contact.Id, name is null ? "name reset to the profile name" : "name set");
        }

        if (doNotProcess is { } restrict && restrict != contact.RestrictedAt is not null)
        {
            contact.RestrictedAt = restrict ? time.GetUtcNow() : null;
            audit.Record(restrict ? "contact.restrict" : "contact.unrestrict", "contact", contact.Id);
        }

        await db.SaveChangesAsync(cancellationToken);
        return ContactView.Of(contact);
    }
}
