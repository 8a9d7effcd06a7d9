using System.Globalization;
using LeadsPeer.Core.Catalog;
using LeadsPeer.Core.Conversations.Interactive;
using LeadsPeer.Core.Data;
using LeadsPeer.Core.Flows;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using static LeadsPeer.Core.Flows.FlowMessages;
using Keys = LeadsPeer.Core.Bookings.BookingFlowKeys;
using Steps = LeadsPeer.Core.Bookings.BookingFlowSteps;

namespace LeadsPeer.Core.Bookings;

/// <summary>The booking flow's steps.</summary>
public static class BookingFlowSteps
{
    public const string Service = "service";
    public const string Day = "day";
    public const string Time = "time";
    public const string Staff = "staff";
    public const string Confirm = "confirm";
}

/// <summary>What the booking flow keeps in its state (and the choice ids of its buttons).</summary>
internal static class BookingFlowKeys
{
    public const string RequestKey = "key";
    public const string Service = "service";
    public const string Day = "day";
    public const string Start = "start";
    public const string Staff = "staff";

    /// <summary>The booking being moved (the customer's own): its own time does not count as taken.</summary>
    public const string Moving = "moving";

    public const string Anyone = "anyone";
    public const string Change = "change";
    public const string Services = "services";

    /// <summary>The times ("05:00,17:00") a typed answer fitted, offered alone until one is picked.</summary>
    public const string Only = "only";
}

/// <summary>
/// Asks each step's question from the state and the calendar as it is now: the days and times
/// listed are the free ones at the moment of asking, in the business's zone.
/// </summary>
internal sealed partial class BookingFlowQuestions(
    LeadsPeerDbContext db, BookingBook book, TimeProvider time, Func<CancellationToken, Task<BookingSettings?>> settingsOf)
{
    /// <summary>How many days ahead the day list looks at most (a service's horizon may be shorter).</summary>
    public const int DaysAhead = 31;

    private static readonly (string Id, string Title) StopButton = ("stop", "Cancel");

    public async Task<FlowStep.Ask> AskAsync(string step, Dictionary<string, string> data, string? preface, CancellationToken cancellationToken)
    {
        var settings = await settingsOf(cancellationToken) ?? new BookingSettings();
        var zone = BookingCalendar.ZoneOf(settings);
        var page = PageOf(data);
        var moving = data.GetValueOrDefault(Keys.Moving) is { } movingId ? Guid.ParseExact(movingId, "N") : (Guid?)null;
        var service = data.GetValueOrDefault(Keys.Service) is { } id
            ? await db.BookableServices.AsNoTracking().SingleOrDefaultAsync(s => s.Id == Guid.ParseExact(id, "N") && s.Active, cancellationToken)
            : null;
        if (step != Steps.Service && service is null)
        {
            step = Steps.Service; // the service was switched off or removed meanwhile
        }

        InteractiveContent question;
        switch (step)
        {
            case Steps.Service:
                var services = await db.BookableServices.AsNoTracking().Offered().OrderBy(s => s.Name).ToListAsync(cancellationToken);
                var shown = services.Skip(page * RowsPerPage).ToList();
                question = List("What would you like to book?", "Services", shown.Select(s => Row($"s:{s.Id:N}", s.Name, Describe(s))), shown.Count > InteractiveLimits.MaxRows);
                break;

            case Steps.Day:
                var days = (await FreeAsync(settings, service!, null, moving, cancellationToken)).GroupBy(s => s.Local.Date).ToList();
                if (days.Count == 0)
                {
                    question = Buttons($"Sorry, there are no free times for {service!.Name} in the next {Math.Min(service.HorizonDays, DaysAhead)} days.",
                        (Keys.Services, "Another service"), StopButton);
                    break;
                }

                var dayPage = days.Skip(page * RowsPerPage).ToList();
                question = List($"{service!.Name}: which day suits you?", "Days",
                    dayPage.Select(d => Row($"d:{HoursText.Write(d.Key)}", BookingUpdates.Day(d.Key), d.Count() == 1 ? "1 free time" : $"{d.Count()} free times")),
                    dayPage.Count > InteractiveLimits.MaxRows);
                break;

            case Steps.Time:
                var date = HoursText.Date(data.GetValueOrDefault(Keys.Day)) ?? Instant.FromDateTimeOffset(time.GetUtcNow()).InZone(zone).Date;
                var slots = await FreeAsync(settings, service!, date, moving, cancellationToken);
                if (slots.Count == 0)
                {
                    return await AskAsync(Steps.Day, Page(data, 0), $"{(preface is null ? "" : preface + " ")}No free times are left on {BookingUpdates.Day(date)}.".Trim(), cancellationToken);
                }

                // Asked back between a few times the customer's words fit ("at 5": 05:00 or 17:00): only those.
                if (data.GetValueOrDefault(Keys.Only)?.Split(',') is { } only && slots.Where(s => only.Contains(Clock(s))).ToList() is { Count: > 0 } fitting)
                {
                    slots = fitting;
                }

                var staffNames = await StaffNamesAsync(service!, cancellationToken);
                var timePage = slots.Skip(page * RowsPerPage).ToList();
                question = List($"{service!.Name} on {BookingUpdates.Day(date)}: which time? (times are {zone.Id} time)", "Times",
                    timePage.Select(s => Row($"t:{s.Start.ToUnixTimeSeconds()}", Clock(s),
                        "with " + string.Join(" or ", s.StaffIds.Select(i => staffNames.GetValueOrDefault(i, "us"))))),
                    timePage.Count > InteractiveLimits.MaxRows);
                break;

            case Steps.Staff:
                var start = Instant.FromUnixTimeSeconds(long.Parse(data[Keys.Start], CultureInfo.InvariantCulture));
                var slot = await FreeAtAsync(service!, start, moving, cancellationToken);
                if (slot is null)
                {
                    data.Remove(Keys.Start);
                    return await AskAsync(Steps.Time, Page(data, 0), $"Sorry, {BookingUpdates.When(start.ToDateTimeOffset(), zone)} was just taken.", cancellationToken);
                }

                if (slot.StaffIds.Count == 1)
                {
                    data[Keys.Staff] = slot.StaffIds[0].ToString("N");
                    return await AskAsync(Steps.Confirm, data, preface, cancellationToken);
                }

                var names = await StaffNamesAsync(service!, cancellationToken);
                question = List("Who would you like?", "Staff",
                    [Row(Keys.Anyone, "Whoever is free"), .. slot.StaffIds.Select(i => Row($"st:{i:N}", names.GetValueOrDefault(i, "Staff")))], more: false);
                break;

            case Steps.Confirm:
                var at = Instant.FromUnixTimeSeconds(long.Parse(data[Keys.Start], CultureInfo.InvariantCulture));
                var who = data.GetValueOrDefault(Keys.Staff) is { } staff && staff != Keys.Anyone && Guid.TryParseExact(staff, "N", out var staffId)
                    ? (await StaffNamesAsync(service!, cancellationToken)).GetValueOrDefault(staffId)
                    : null;
                question = Buttons($"""
                    Please check your booking:
                    {service!.Name}{(who is null ? "" : $" with {who}")}
                    {BookingUpdates.When(at.ToDateTimeOffset(), zone)} ({DurationWords.Minutes(service.DurationMinutes)}){(Price(service) is { } price ? $"\n{price}" : "")}
                    """, ($"ok:{data[Keys.RequestKey]}", "Confirm"), (Keys.Change, "Change"), StopButton);
                break;

            default:
                throw new InvalidOperationException($"The booking flow has no step '{step}'.");
        }

        var asked = preface is null ? question : question with { Body = Cut($"{preface}\n\n{question.Body}", InteractiveLimits.Body) };
        return new FlowStep.Ask(step, asked, data);
    }

    /// <summary>The free slot that starts at <paramref name="start"/>, with who is free then; null when it is not free (any more).</summary>
    public async Task<Slot?> FreeAtAsync(BookableService service, Instant start, Guid? moving, CancellationToken cancellationToken)
    {
        var settings = await settingsOf(cancellationToken) ?? new BookingSettings();
        var day = start.InZone(BookingCalendar.ZoneOf(settings)).Date;
        return (await FreeAsync(settings, service, day, moving, cancellationToken)).FirstOrDefault(s => s.Start == start);
    }

    /// <summary>The free starts of <paramref name="day"/> a customer is offered now.</summary>
    public async Task<IReadOnlyList<Slot>> FreeOnAsync(BookableService service, LocalDate day, Guid? moving, CancellationToken cancellationToken) =>
        await FreeAsync(await settingsOf(cancellationToken) ?? new BookingSettings(), service, day, moving, cancellationToken);

    /// <summary>The free starts a customer is offered: of one day, or of the days ahead.</summary>
    private async Task<IReadOnlyList<Slot>> FreeAsync(BookingSettings settings, BookableService service, LocalDate? day, Guid? moving, CancellationToken cancellationToken)
    {
        var zone = BookingCalendar.ZoneOf(settings);
        var today = Instant.FromDateTimeOffset(time.GetUtcNow()).InZone(zone).Date;
        var (from, to) = day is { } one ? (one, one) : (today, today.PlusDays(Math.Min(service.HorizonDays, DaysAhead)));
        var staff = await db.StaffMembers.AsNoTracking().Where(s => service.StaffIds.Contains(s.Id) && s.Active).ToListAsync(cancellationToken);
        var availability = await book.AvailabilityAsync(settings, staff.Select(s => s.Id),
            from.AtStartOfDayInZone(zone).ToInstant() - Duration.FromDays(2), to.PlusDays(1).AtStartOfDayInZone(zone).ToInstant(), cancellationToken);
        return availability.Slots(service, staff, from, to, moving);
    }

    private async Task<Dictionary<Guid, string>> StaffNamesAsync(BookableService service, CancellationToken cancellationToken) =>
        await db.StaffMembers.AsNoTracking().Where(s => service.StaffIds.Contains(s.Id)).ToDictionaryAsync(s => s.Id, s => s.Name, cancellationToken);

    private static string Describe(BookableService service) =>
        Price(service) is { } price ? $"{DurationWords.Minutes(service.DurationMinutes)} · {price}" : DurationWords.Minutes(service.DurationMinutes);

    private static string? Price(BookableService service) =>
        service.PriceMinor is { } minor && service.Currency is { } currency ? Money.Format(minor, currency) : null;

    internal static string Clock(Slot slot) => slot.Local.TimeOfDay.ToString("HH:mm", CultureInfo.InvariantCulture);

}
