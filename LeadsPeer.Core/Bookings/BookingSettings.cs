using System.Text.Json;
using LeadsPeer.Core.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace LeadsPeer.Core.Bookings;

/// <summary>
/// When an organisation takes bookings: its time zone (every time is stored in UTC and offered in
/// this zone), its weekly opening hours, its special days, and how booking references read. One
/// row per organisation; nothing can be booked before it exists.
/// </summary>
public sealed class BookingSettings : ITenantOwned
{
    public Guid TenantId { get; set; }

    /// <summary>An IANA zone id ("Asia/Karachi"), read with NodaTime's own zone database.</summary>
    public string TimeZone { get; set; } = "UTC";

    /// <summary>The week as JSON: day name → ranges ({"monday": [{"from": "09:00", "to": "13:00"}]}); a missing day is closed.</summary>
    public string WeeklyHours { get; set; } = "{}";

    /// <summary>Holidays and special schedules as JSON (<see cref="Bookings.SpecialDays"/>).</summary>
    public string SpecialDays { get; set; } = "[]";

    /// <summary>What a booking reference starts with ("GTB" in GTB-B-311).</summary>
    public string ReferencePrefix { get; set; } = "BK";

    /// <summary>The number the next booking takes; raised under the row's lock, so references never repeat.</summary>
    public int NextBookingNumber { get; set; } = 101;

    /// <summary>How long before the start a customer may still cancel on their own in the chat; 0: until the start.</summary>
    public int CancellationNoticeMinutes { get; set; }

    /// <summary>What a customer's cancel inside that notice does.</summary>
    public LateCancellation LateCancellation { get; set; }

    /// <summary>How long before the start each reminder goes, in minutes (1440 and 120: the day before and two hours before); empty: no reminders.</summary>
    public List<int> ReminderMinutes { get; set; } = [24 * 60];

    /// <summary>The UTILITY template that carries a reminder outside the 24-hour window; null: reminders go only while the window is open.</summary>
    public string? ReminderTemplateName { get; set; }

    public string? ReminderTemplateLanguage { get; set; }

    /// <summary>Which booking field fills each of the template's variables, as JSON ({"1": "reference", "2": "time"}); see <see cref="BookingFields"/>.</summary>
    public string ReminderTemplateParameters { get; set; } = "{}";

    /// <summary>Whether the staff calendar feeds carry the customer's name (the Owner's choice: feeds pass through calendar providers).</summary>
    public bool FeedShowsCustomers { get; set; }

    public DateTimeOffset? UpdatedAt { get; set; }

    public IReadOnlyDictionary<string, string> ReminderParameters() =>
        JsonSerializer.Deserialize<Dictionary<string, string>>(ReminderTemplateParameters) ?? [];

    public IReadOnlyDictionary<string, IReadOnlyList<HoursRange>> Week() => BookingJson.Week(WeeklyHours);

    public IReadOnlyList<SpecialDays> Specials() =>
        JsonSerializer.Deserialize<List<SpecialDays>>(SpecialDays, BookingJson.Options) ?? [];
}

internal sealed class BookingSettingsConfiguration : IEntityTypeConfiguration<BookingSettings>
{
    public void Configure(EntityTypeBuilder<BookingSettings> builder)
    {
        builder.HasKey(s => s.TenantId);
        builder.Property(s => s.TimeZone).HasMaxLength(64);
        builder.Property(s => s.WeeklyHours).HasColumnType("jsonb");
        builder.Property(s => s.SpecialDays).HasColumnType("jsonb");
        builder.Property(s => s.ReferencePrefix).HasMaxLength(Ordering.OrderingLimits.Prefix);
        builder.Property(s => s.ReminderTemplateName).HasMaxLength(512);
        builder.Property(s => s.ReminderTemplateLanguage).HasMaxLength(16);
        builder.Property(s => s.ReminderTemplateParameters).HasColumnType("jsonb");
        builder.HasOne<Organization>().WithOne().HasForeignKey<BookingSettings>(s => s.TenantId).OnDelete(DeleteBehavior.Cascade);
    }
}

/// <summary>What a customer's cancel inside the cancellation notice does.</summary>
public enum LateCancellation
{
    /// <summary>Cancelled once the customer confirms, after being told it is late.</summary>
    Allowed,

    /// <summary>Handed to the team, who decide (a fee, an exception).</summary>
    HandOff,
}

/// <summary>How hours are written in the JSON columns (the same shape the API takes).</summary>
public static class BookingJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    public static IReadOnlyDictionary<string, IReadOnlyList<HoursRange>> Week(string json) =>
        JsonSerializer.Deserialize<Dictionary<string, IReadOnlyList<HoursRange>>>(json, Options) ?? [];

    public static string Write<T>(T value) => JsonSerializer.Serialize(value, Options);
}

/// <summary>The booking fields a reminder template's variables can carry.</summary>
public static class BookingFields
{
    public const string Reference = "reference";
    public const string Service = "service";
    public const string Staff = "staff";
    public const string Time = "time";
    public const string Name = "name";

    public static readonly IReadOnlyList<string> All = [Reference, Service, Staff, Time, Name];
}

public static class BookingLimits
{
    /// <summary>Reminders per booking, and how far ahead the earliest may go (a week).</summary>
    public const int MaxReminders = 3;
    public const int MinReminderMinutes = 5;
    public const int MaxReminderMinutes = 7 * 24 * 60;

    public const int Name = 100;
    public const int Text = 500;
    public const int MaxDurationMinutes = 24 * 60;
    public const int MaxBufferMinutes = 8 * 60;
    public const int MaxHorizonDays = 365;
    public const int MaxNoticeMinutes = 30 * 24 * 60;
    public const int MaxCapacity = 100;
    public const int MaxSpecialDays = 200;
    public const int MaxDaysOff = 366;

    /// <summary>The widest window one availability query covers.</summary>
    public const int MaxQueryDays = 62;
}
