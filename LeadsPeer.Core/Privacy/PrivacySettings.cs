using LeadsPeer.Core.Accounts;
using LeadsPeer.Core.Audit;
using LeadsPeer.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace LeadsPeer.Core.Privacy;

/// <summary>What the organisation holds (counts), how long it is kept, and whether it is closing: the privacy page's figures.</summary>
public sealed record PrivacyOverview(
    int Contacts,
    int Conversations,
    int Messages,
    int MediaFiles,
    int KnowledgeDocuments,
    int? ConversationRetentionMonths,
    PrivacyRetention Retention,
    ClosureView Closure);

/// <summary>The deployment's retention periods, in days.</summary>
public sealed record PrivacyRetention(double InboundMediaDays, double ParkedStatusesDays, double FinishedWorkDays, double SandboxMessagesDays, double AuditIpAddressesDays, double ClosureGraceDays);

/// <summary>The organisation's privacy settings: the overview and its own conversation retention.</summary>
public sealed class PrivacySettings(LeadsPeerDbContext db, CurrentMember member, AuditLog audit, IOptions<PrivacyOptions> options)
{
    /// <summary>Longest retention a business can set (ten years); longer is the same as none.</summary>
    public const int MaxRetentionMonths = 120;

    public async Task<Outcome<PrivacyOverview>> GetAsync(CancellationToken cancellationToken)
    {
        if (!member.Can(Permission.ManageCustomerData))
        {
            return UseCaseError.Forbidden("Only Owners and Admins can see the organisation's privacy settings.");
        }

        var organization = await db.Organizations.AsNoTracking().SingleAsync(cancellationToken);
        var settings = options.Value;
        return new PrivacyOverview(
            await db.Contacts.CountAsync(cancellationToken),
            await db.Conversations.CountAsync(cancellationToken),
            await db.Messages.CountAsync(cancellationToken),
            await db.MediaFiles.CountAsync(cancellationToken),
            await db.KnowledgeDocuments.CountAsync(cancellationToken),
            organization.ConversationRetentionMonths,
            new PrivacyRetention(settings.InboundMedia.TotalDays, settings.ParkedStatuses.TotalDays, settings.FinishedWork.TotalDays,
                settings.SandboxMessages.TotalDays, settings.AuditIpAddresses.TotalDays, settings.ClosureGracePeriod.TotalDays),
            new ClosureView(organization.ClosureRequestedAt is not null, organization.ClosureRequestedAt, organization.PurgeAt));
    }

    /// <summary>Sets (or, with null, removes) the organisation's conversation retention in months.</summary>
    public async Task<Outcome<PrivacyOverview>> SetConversationRetentionAsync(int? months, CancellationToken cancellationToken)
    {
        if (!member.Can(Permission.ManageCustomerData))
        {
            return UseCaseError.Forbidden("Only Owners and Admins can change how long conversations are kept.");
        }

        if (months is < 1 or > MaxRetentionMonths)
        {
            return UseCaseError.Invalid("conversationRetentionMonths", $"Keep conversations 1 to {MaxRetentionMonths} months, or leave it empty to keep them until you delete them.");
        }

        var organization = await db.Organizations.SingleAsync(cancellationToken);
        organization.ConversationRetentionMonths = months;
        audit.Record("organization.retention", "organization", organization.Id, months is { } m ? $"{m} month(s)" : "none");
        await db.SaveChangesAsync(cancellationToken);
        return await GetAsync(cancellationToken);
    }
}
