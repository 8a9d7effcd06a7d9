using LeadsPeer.Core.Conversations;
using LeadsPeer.Core.Tenancy;
using LeadsPeer.Core.WhatsApp;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace LeadsPeer.Core.Data.Configurations;

internal sealed class ContactConfiguration : IEntityTypeConfiguration<Contact>
{
    public void Configure(EntityTypeBuilder<Contact> builder)
    {
        builder.Property(c => c.CustomerKey).HasMaxLength(128);
        builder.Property(c => c.WaId).HasMaxLength(32);
        builder.Property(c => c.UserId).HasMaxLength(128);
        builder.Property(c => c.ProfileName).HasMaxLength(256);
        builder.Property(c => c.DisplayName).HasMaxLength(Accounts.PlainTextName.MaxLength);
        // Webhook ingest upserts on this key (ON CONFLICT), so a retried webhook finds the same customer.
        builder.HasIndex(c => new { c.ConnectionId, c.CustomerKey }).IsUnique();
        builder.HasOne<Organization>().WithMany().HasForeignKey(c => c.TenantId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<WhatsAppConnection>().WithMany().HasForeignKey(c => c.ConnectionId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class ConversationConfiguration : IEntityTypeConfiguration<Conversation>
{
    public void Configure(EntityTypeBuilder<Conversation> builder)
    {
        // The inbox lists a tenant's conversations newest first, paged by (last_message_at, id).
        builder.HasIndex(c => new { c.TenantId, c.LastMessageAt, c.Id }).IsDescending(false, true, true);
        // One conversation per customer and number: a resolved one is reopened, not duplicated,
        // and webhook ingest upserts on it.
        builder.HasIndex(c => c.ContactId).IsUnique();
        builder.HasOne<Organization>().WithMany().HasForeignKey(c => c.TenantId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Contact>().WithMany().HasForeignKey(c => c.ContactId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<WhatsAppConnection>().WithMany().HasForeignKey(c => c.ConnectionId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class MessageConfiguration : IEntityTypeConfiguration<Message>
{
    public void Configure(EntityTypeBuilder<Message> builder)
    {
        builder.Property(m => m.WaMessageId).HasMaxLength(256);
        builder.Property(m => m.Type).HasMaxLength(32);
        builder.Property(m => m.Payload).HasColumnType("jsonb");
        builder.Property(m => m.Sources).HasColumnType("jsonb");
        builder.Property(m => m.AskedBy).HasMaxLength(64);
        builder.Property(m => m.OutcomeReason).HasMaxLength(500);
        // "What did the AI turn away?": the declined replies, newest first, per organisation.
        builder.HasIndex(m => new { m.TenantId, m.Outcome, m.CreatedAt }).HasFilter("outcome IS NOT NULL");
        // At-least-once delivery from Meta: the wamid makes a duplicate insert a no-op.
        builder.HasIndex(m => m.WaMessageId).IsUnique();
        builder.HasIndex(m => new { m.ConversationId, m.CreatedAt });
        builder.Property(m => m.ErrorTitle).HasMaxLength(500);
        // At most one AI reply per customer turn, by construction.
        // Partial: inbound messages (most rows) carry no turn and cost this index nothing.
        builder.HasIndex(m => m.ReplyToTurn).IsUnique().HasFilter("reply_to_turn IS NOT NULL");
        builder.HasOne<Organization>().WithMany().HasForeignKey(m => m.TenantId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Conversation>().WithMany().HasForeignKey(m => m.ConversationId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class ParkedStatusConfiguration : IEntityTypeConfiguration<ParkedStatus>
{
    public void Configure(EntityTypeBuilder<ParkedStatus> builder)
    {
        builder.Property(p => p.WaMessageId).HasMaxLength(256);
        builder.Property(p => p.ErrorTitle).HasMaxLength(500);
        builder.HasIndex(p => p.WaMessageId);
        builder.HasOne<Organization>().WithMany().HasForeignKey(p => p.TenantId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class MediaFileConfiguration : IEntityTypeConfiguration<MediaFile>
{
    public void Configure(EntityTypeBuilder<MediaFile> builder)
    {
        builder.Property(f => f.MediaId).HasMaxLength(128);
        builder.Property(f => f.MimeType).HasMaxLength(128);
        builder.HasIndex(f => f.MessageId).IsUnique();
        builder.HasOne<Organization>().WithMany().HasForeignKey(f => f.TenantId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Message>().WithMany().HasForeignKey(f => f.MessageId).OnDelete(DeleteBehavior.Cascade);
    }
}
