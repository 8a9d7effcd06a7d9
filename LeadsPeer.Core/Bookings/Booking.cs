using LeadsPeer.Core.Conversations;
using LeadsPeer.Core.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace LeadsPeer.Core.Bookings;

public enum BookingStatus
{
    Confirmed,
    Completed,
    NoShow,
    Cancelled,
}

public enum BookedBy
{
    Customer,
    Team,
}

/// <summary>One earlier time of a rescheduled booking: where it was, when it moved and who moved it.</summary>
public sealed record BookingMove(DateTimeOffset FromStart, Guid? FromStaffId, DateTimeOffset MovedAt, BookedBy By);

/// <summary>
/// A customer's appointment: a service with a staff member from <see cref="StartAt"/> to
/// <see cref="EndAt"/> (UTC), the staff member busy until <see cref="BlockedUntil"/> (the
/// service's buffer after). It copies the service's and staff member's names, so renaming or
/// removing them never rewrites a booking. Only <see cref="BookingBook"/> writes its status and
/// times; PostgreSQL refuses two confirmed one-to-one bookings of a staff member that overlap.
/// </summary>
public sealed class Booking : ITenantOwned
{
    public Guid Id { get; init; } = Guid.CreateVersion7();

    public Guid TenantId { get; set; }

    /// <summary>What a person reads out ("GTB-B-311"), unique in the organisation.</summary>
    public required string Reference { get; set; }

    public Guid? ServiceId { get; set; }

    public required string ServiceName { get; set; }

    public Guid? StaffId { get; set; }

    public required string StaffName { get; set; }

    public DateTimeOffset StartAt { get; set; }

    public DateTimeOffset EndAt { get; set; }

    /// <summary>The end plus the service's buffer: the staff member takes nobody else before it.</summary>
    public DateTimeOffset BlockedUntil { get; set; }

    /// <summary>Of a one-to-one service (capacity 1): the exclusion constraint covers it. Shared starts are counted under the staff row's lock instead.</summary>
    public bool Exclusive { get; set; }

    public BookingStatus Status { get; set; }

    /// <summary>Null for a walk-in the team booked, and once the customer was erased.</summary>
    public Guid? ContactId { get; set; }

    public Guid? ConversationId { get; set; }

    /// <summary>The customer's name as the team or WhatsApp gave it; null once erased.</summary>
    public string? CustomerName { get; set; }

    public string? Notes { get; set; }

    public BookedBy BookedBy { get; set; }

    /// <summary>The customer's booking run it came from, unique: a second Confirm of the same run finds this booking instead of making another.</summary>
    public Guid? RequestKey { get; set; }

    public BookedBy? CancelledBy { get; set; }

    public string? CancelReason { get; set; }

    /// <summary>The earlier times of a rescheduled booking, oldest first.</summary>
    public List<BookingMove> Moves { get; set; } = [];

    /// <summary>The reminders (minutes before the start) already sent, or passed over, for the current time; a move clears them.</summary>
    public List<int> RemindersSent { get; set; } = [];

    /// <summary>When the customer tapped Confirm on a reminder for the current time; a move clears it.</summary>
    public DateTimeOffset? CustomerConfirmedAt { get; set; }

    /// <summary>Why the customer did not hear of the last change the team made; null when they did or were not to be told.</summary>
    public string? NotNotifiedReason { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}

internal sealed class BookingConfiguration : IEntityTypeConfiguration<Booking>
{
    public void Configure(EntityTypeBuilder<Booking> builder)
    {
        builder.Property(b => b.Reference).HasMaxLength(24);
        builder.Property(b => b.ServiceName).HasMaxLength(BookingLimits.Name);
        builder.Property(b => b.StaffName).HasMaxLength(BookingLimits.Name);
        builder.Property(b => b.CustomerName).HasMaxLength(256);
        builder.Property(b => b.Notes).HasMaxLength(BookingLimits.Text);
        builder.Property(b => b.CancelReason).HasMaxLength(BookingLimits.Text);
        builder.Property(b => b.NotNotifiedReason).HasMaxLength(BookingLimits.Text);
        builder.OwnsMany(b => b.Moves, moves => moves.ToJson());
        builder.HasIndex(b => new { b.TenantId, b.Reference }).IsUnique();
        builder.HasIndex(b => new { b.TenantId, b.RequestKey }).IsUnique();
        builder.HasIndex(b => new { b.StaffId, b.StartAt });
        builder.HasIndex(b => new { b.TenantId, b.StartAt });
        builder.HasIndex(b => b.ContactId);
        builder.HasOne<Organization>().WithMany().HasForeignKey(b => b.TenantId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<BookableService>().WithMany().HasForeignKey(b => b.ServiceId).OnDelete(DeleteBehavior.SetNull);
        builder.HasOne<StaffMember>().WithMany().HasForeignKey(b => b.StaffId).OnDelete(DeleteBehavior.SetNull);
        // The business's books outlive the conversation: an erased customer leaves the booking, unlinked.
        builder.HasOne<Contact>().WithMany().HasForeignKey(b => b.ContactId).OnDelete(DeleteBehavior.SetNull);
        builder.HasOne<Conversation>().WithMany().HasForeignKey(b => b.ConversationId).OnDelete(DeleteBehavior.SetNull);
    }
}
