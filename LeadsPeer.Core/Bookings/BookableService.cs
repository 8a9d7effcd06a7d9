using LeadsPeer.Core.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace LeadsPeer.Core.Bookings;

/// <summary>
/// Something a customer books: how long it takes, how long its staff member needs after it
/// (cleaning, notes), how far ahead and how late it can be booked, how many people share one
/// start time, and who can do it.
/// </summary>
public sealed class BookableService : ITenantOwned
{
    public Guid Id { get; init; } = Guid.CreateVersion7();

    public Guid TenantId { get; set; }

    public required string Name { get; set; }

    public string? Description { get; set; }

    public int DurationMinutes { get; set; }

    /// <summary>Start times are offered every this many minutes from the start of each opening range.</summary>
    public int IntervalMinutes { get; set; } = 30;

    /// <summary>Time the staff member stays busy after the service ends; the next booking starts after it.</summary>
    public int BufferAfterMinutes { get; set; }

    /// <summary>How many days ahead a customer can book, counted in the business's zone.</summary>
    public int HorizonDays { get; set; } = 30;

    /// <summary>How long before the start a customer can still book.</summary>
    public int MinimumNoticeMinutes { get; set; } = 60;

    /// <summary>People who can book the same start with the same staff member (a class, a tasting); 1 for one-to-one.</summary>
    public int Capacity { get; set; } = 1;

    /// <summary>The price in <see cref="Currency"/>'s minor units; null: no price is shown.</summary>
    public long? PriceMinor { get; set; }

    public string? Currency { get; set; }

    /// <summary>The staff members who do it; a service nobody does cannot be booked.</summary>
    public List<Guid> StaffIds { get; set; } = [];

    /// <summary>Offered to customers; a switched-off service keeps its bookings.</summary>
    public bool Active { get; set; } = true;

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}

internal sealed class BookableServiceConfiguration : IEntityTypeConfiguration<BookableService>
{
    public void Configure(EntityTypeBuilder<BookableService> builder)
    {
        builder.ToTable("booking_services");
        builder.Property(s => s.Name).HasMaxLength(BookingLimits.Name);
        builder.Property(s => s.Description).HasMaxLength(BookingLimits.Text);
        builder.Property(s => s.Currency).HasMaxLength(3);
        builder.HasIndex(s => new { s.TenantId, s.Name }).IsUnique();
        builder.HasOne<Organization>().WithMany().HasForeignKey(s => s.TenantId).OnDelete(DeleteBehavior.Cascade);
    }
}

/// <summary>A person (or a chair, a room) bookings are made with: their own working hours within the opening hours, and days off.</summary>
public sealed class StaffMember : ITenantOwned
{
    public Guid Id { get; init; } = Guid.CreateVersion7();

    public Guid TenantId { get; set; }

    public required string Name { get; set; }

    /// <summary>Their week as JSON (as <see cref="BookingSettings.WeeklyHours"/>); null: the opening hours.</summary>
    public string? WeeklyHours { get; set; }

    public List<DateOnly> DaysOff { get; set; } = [];

    public bool Active { get; set; } = true;

    /// <summary>The SHA-256 of their calendar feed's token (<see cref="CalendarFeeds"/>); null: no feed.</summary>
    public string? FeedTokenHash { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}

internal sealed class StaffMemberConfiguration : IEntityTypeConfiguration<StaffMember>
{
    public void Configure(EntityTypeBuilder<StaffMember> builder)
    {
        builder.ToTable("booking_staff");
        builder.Property(s => s.Name).HasMaxLength(BookingLimits.Name);
        builder.Property(s => s.WeeklyHours).HasColumnType("jsonb");
        builder.Property(s => s.FeedTokenHash).HasMaxLength(64);
        builder.HasIndex(s => new { s.TenantId, s.Name }).IsUnique();
        builder.HasIndex(s => s.FeedTokenHash).IsUnique();
        builder.HasOne<Organization>().WithMany().HasForeignKey(s => s.TenantId).OnDelete(DeleteBehavior.Cascade);
    }
}
