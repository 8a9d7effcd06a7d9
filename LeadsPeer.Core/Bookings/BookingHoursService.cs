using System.Text.RegularExpressions;
using LeadsPeer.Core.Accounts;
using LeadsPeer.Core.Audit;
using LeadsPeer.Core.Data;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace LeadsPeer.Core.Bookings;

/// <summary>The organisation's booking hours as shown and saved: its zone, its week (day name → ranges), its special days, and its rule for late cancels.</summary>
public sealed record BookingHoursView(
    string TimeZone,
    IReadOnlyDictionary<string, IReadOnlyList<HoursRange>> Weekly,
    IReadOnlyList<SpecialDays> SpecialDays,
    string ReferencePrefix,
    int CancellationNoticeMinutes,
    LateCancellation LateCancellation,
    BookingRemindersView Reminders,
    DateTimeOffset? UpdatedAt);

/// <summary>
/// When customers are reminded (minutes before the start) and, for reminders outside the 24-hour
/// window, the UTILITY template and which booking field fills each of its variables (<see cref="BookingFields"/>).
/// </summary>
public sealed record BookingRemindersView(
    IReadOnlyList<int> MinutesBefore,
    string? TemplateName = null,
    string? TemplateLanguage = null,
    IReadOnlyDictionary<string, string>? TemplateParameters = null);

/// <summary>The whole hours (PUT replaces them); a day left out of <see cref="Weekly"/> is closed.</summary>
public sealed record BookingHoursInput(
    string? TimeZone = null,
    IReadOnlyDictionary<string, IReadOnlyList<HoursRange>>? Weekly = null,
    IReadOnlyList<SpecialDays>? SpecialDays = null,
    string? ReferencePrefix = null,
    int? CancellationNoticeMinutes = null,
    LateCancellation? LateCancellation = null,
    BookingRemindersView? Reminders = null);

/// <summary>Reads and saves when the organisation takes bookings (<see cref="Permission.ManageBookings"/> to change).</summary>
public sealed partial class BookingHoursService(LeadsPeerDbContext db, CurrentMember member, AuditLog audit, BookingReminders reminders, TimeProvider time)
{
    public async Task<BookingHoursView> GetAsync(CancellationToken cancellationToken) =>
        View(await db.BookingSettings.AsNoTracking().SingleOrDefaultAsync(cancellationToken) ?? new BookingSettings());

    public async Task<Outcome<BookingHoursView>> SaveAsync(BookingHoursInput input, CancellationToken cancellationToken)
    {
        if (member.Refuses(Permission.ManageBookings) is { } refused)
        {
            return refused;
        }

        var errors = new Dictionary<string, string[]>();
        var zone = input.TimeZone?.Trim() is { Length: > 0 } zoneId ? zoneId : "UTC";
        if (DateTimeZoneProviders.Tzdb.GetZoneOrNull(zone) is null)
        {
            errors["timeZone"] = [$"\"{input.TimeZone}\" is not a time zone: use an IANA name such as Asia/Karachi or Europe/London."];
        }

        var week = HoursText.ReadWeek(input.Weekly ?? new Dictionary<string, IReadOnlyList<HoursRange>>(), "weekly", errors);

        var specials = ReadSpecials(input.SpecialDays, errors);
        var prefix = input.ReferencePrefix?.Trim().ToUpperInvariant() is { Length: > 0 } written ? written : "BK";
        if (!Prefix().IsMatch(prefix))
        {
            errors["referencePrefix"] = [$"A reference prefix is 1 to {Ordering.OrderingLimits.Prefix} letters or digits."];
        }

        if (input.CancellationNoticeMinutes is < 0 or > BookingLimits.MaxNoticeMinutes)
        {
            errors["cancellationNoticeMinutes"] = [$"From 0 to {BookingLimits.MaxNoticeMinutes}."];
        }

        var reminding = ReadReminders(input.Reminders, errors);
        if (errors.Count > 0)
        {
            return new UseCaseError(FailureKind.Invalid, "The booking hours are not valid.", errors);
        }

        var settings = await db.BookingSettings.SingleOrDefaultAsync(cancellationToken);
        if (settings is null)
        {
            settings = new BookingSettings();
            db.BookingSettings.Add(settings);
        }

        settings.TimeZone = zone;
        settings.WeeklyHours = BookingJson.Write(week);
        settings.SpecialDays = BookingJson.Write(specials);
        settings.ReferencePrefix = prefix;
        settings.CancellationNoticeMinutes = input.CancellationNoticeMinutes ?? 0;
        settings.LateCancellation = input.LateCancellation ?? LateCancellation.Allowed;
        var remindersChanged = !settings.ReminderMinutes.SequenceEqual(reminding.MinutesBefore);
        settings.ReminderMinutes = [.. reminding.MinutesBefore];
        settings.ReminderTemplateName = reminding.TemplateName;
        settings.ReminderTemplateLanguage = reminding.TemplateLanguage;
        settings.ReminderTemplateParameters = BookingJson.Write(reminding.TemplateParameters ?? new Dictionary<string, string>());
        settings.UpdatedAt = time.GetUtcNow();
        audit.Record("booking.hours.saved", nameof(BookingSettings), settings.TenantId == Guid.Empty ? member.OrganizationId : settings.TenantId, zone);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        if (remindersChanged)
        {
            // New reminder times apply to the bookings already made too: each is armed for its next one (or withdrawn).
            var now = time.GetUtcNow();
            foreach (var booking in await db.Bookings.AsNoTracking().Where(b => b.Status == BookingStatus.Confirmed && b.StartAt > now).ToListAsync(cancellationToken))
            {
                await reminders.ArmAsync(booking, settings, cancellationToken);
            }
        }

        await transaction.CommitAsync(cancellationToken);
        return View(settings);
    }

    private static List<SpecialDays> ReadSpecials(IReadOnlyList<SpecialDays>? input, Dictionary<string, string[]> errors)
    {
        var specials = new List<SpecialDays>();
        if (input?.Count > BookingLimits.MaxSpecialDays)
        {
            errors["specialDays"] = [$"At most {BookingLimits.MaxSpecialDays} special days."];
            return specials;
        }

        var read = new List<(LocalDate From, LocalDate To, int Index)>();
        for (var i = 0; i < (input?.Count ?? 0); i++)
        {
            var special = input![i];
            var field = $"specialDays[{i}]";
            var from = HoursText.Date(special?.From);
            var to = special?.To is null ? from : HoursText.Date(special.To);
            if (from is null || to is null)
            {
                errors[field] = [$"\"{(from is null ? special?.From : special?.To)}\" is not a date: write it as yyyy-MM-dd."];
                continue;
            }

            if (to < from)
            {
                errors[field] = [$"The special days end ({special!.To}) before they start ({special.From})."];
                continue;
            }

            if (special!.Name?.Length > BookingLimits.Name)
            {
                errors[$"{field}.name"] = [$"A name is at most {BookingLimits.Name} characters."];
            }

            var hours = HoursText.Ranges(special.Hours, $"{field}.hours", errors);
            var overlap = read.FindIndex(r => r.From <= to && from <= r.To);
            if (overlap >= 0)
            {
                errors[field] = [$"These special days overlap specialDays[{read[overlap].Index}]: a day has one schedule."];
            }

            read.Add((from.Value, to.Value, i));
            specials.Add(new SpecialDays(HoursText.Write(from.Value), HoursText.Write(to.Value), string.IsNullOrWhiteSpace(special.Name) ? null : special.Name.Trim(), HoursText.Write(hours)));
        }

        return specials;
    }

    /// <summary>The reminders as saved: omitted, the default (the day before); times checked, at most <see cref="BookingLimits.MaxReminders"/>, the template's fields known.</summary>
    private static BookingRemindersView ReadReminders(BookingRemindersView? input, Dictionary<string, string[]> errors)
    {
        if (input is null)
        {
            return new BookingRemindersView([24 * 60]);
        }

        var minutes = (input.MinutesBefore ?? []).Distinct().OrderDescending().ToList();
        if (minutes.Count > BookingLimits.MaxReminders)
        {
            errors["reminders.minutesBefore"] = [$"At most {BookingLimits.MaxReminders} reminders."];
        }
        else if (minutes.Where(m => m is < BookingLimits.MinReminderMinutes or > BookingLimits.MaxReminderMinutes).Select(m => (int?)m).FirstOrDefault() is { } wrong)
        {
            errors["reminders.minutesBefore"] = [$"{wrong} is not a reminder time: from {BookingLimits.MinReminderMinutes} minutes to {BookingLimits.MaxReminderMinutes} (a week) before the start."];
        }

        var name = string.IsNullOrWhiteSpace(input.TemplateName) ? null : input.TemplateName.Trim();
        if (name?.Length > 512)
        {
            errors["reminders.templateName"] = ["A template name is at most 512 characters."];
        }

        var parameters = input.TemplateParameters ?? new Dictionary<string, string>();
        if (parameters.FirstOrDefault(p => !BookingFields.All.Contains(p.Value)) is { Key: not null } unknown)
        {
            errors[$"reminders.templateParameters.{unknown.Key}"] = [$"\"{unknown.Value}\" is not a booking field: use {string.Join(", ", BookingFields.All)}."];
        }

        var language = string.IsNullOrWhiteSpace(input.TemplateLanguage) ? null : input.TemplateLanguage.Trim();
        if (language?.Length > 16)
        {
            errors["reminders.templateLanguage"] = ["A language code is at most 16 characters (en_US)."];
        }

        return new BookingRemindersView(minutes, name, name is null ? null : language, name is null ? new Dictionary<string, string>() : parameters);
    }

    private static BookingHoursView View(BookingSettings settings) =>
        new(settings.TimeZone, settings.Week(), settings.Specials(), settings.ReferencePrefix, settings.CancellationNoticeMinutes, settings.LateCancellation,
            new BookingRemindersView(settings.ReminderMinutes, settings.ReminderTemplateName, settings.ReminderTemplateLanguage, settings.ReminderParameters()), settings.UpdatedAt);

    [GeneratedRegex("^[A-Z0-9]{1,8}$")]
    private static partial Regex Prefix();
}
