using System.ComponentModel;
using LeadsPeer.Core.Bookings;
using LeadsPeer.Core.Catalog;
using LeadsPeer.Core.Conversations;
using LeadsPeer.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.SemanticKernel;
using NodaTime;

namespace LeadsPeer.Worker.Agent;

/// <summary>
/// The booking tools a language model may call during one turn, over the same Core services as
/// the booking flows: the services and their prices from the database, free times from
/// <see cref="BookingQueries"/> (the rules a customer books under), the customer's own bookings.
/// Nothing here books, cancels or moves: the chosen time goes to the booking flow's summary and a
/// booking to cancel or move to the customer's bookings flow, where the customer confirms. Every
/// result is kept, so the model's own words can be checked against them.
/// </summary>
public sealed class BookingTools(LeadsPeerDbContext db, BookingQueries queries, BookingSettings settings, Conversation conversation, TimeProvider time)
{
    public const string PluginName = "booking";

    private const int MaxTimes = 24;
    private readonly List<string> _results = [];

    /// <summary>The flow the turn goes on in (the booking flow, or the customer's bookings flow), and what it is given; null: none.</summary>
    public (string Flow, IReadOnlyDictionary<string, string> Given, string Why)? Handover { get; private set; }

    /// <summary>What the tools answered in this turn: the facts the model may repeat.</summary>
    public IReadOnlyList<string> Results => _results;

    private DateTimeZone Zone => BookingCalendar.ZoneOf(settings);

    [KernelFunction("list_services"), Description("The services this business books, with how long each takes and its price. Quote durations and prices only from here.")]
    public async Task<string> ListServicesAsync(CancellationToken cancellationToken)
    {
        var services = await BookableAsync(cancellationToken);
        return Keep(services.Count == 0 ? "Nothing can be booked at the moment." : string.Join("\n", services.Select(Line)));
    }

    [KernelFunction("find_slots"), Description("The free times of a service on a day, in the business's time zone. Offer only times from here.")]
    public async Task<string> FindSlotsAsync(
        [Description("The service's name as list_services gives it.")] string service,
        [Description("The day in the customer's words: today, tomorrow, Friday, 8 Jan, or yyyy-MM-dd.")] string day,
        CancellationToken cancellationToken)
    {
        if (await ServiceAsync(service, cancellationToken) is not { } found)
        {
            return Keep($"No service is called \"{Cut(service)}\": call list_services.");
        }

        var date = TypedWhen.Read(day, Today).Day ?? Today;
        var free = await FreeAsync(found, date, cancellationToken);
        return Keep(free.Count == 0
            ? $"No free times for {found.Name} on {BookingUpdates.Day(date)}."
            : $"Free times for {found.Name} on {BookingUpdates.Day(date)} ({Zone.Id} time): {string.Join(", ", free.Take(MaxTimes).Select(s => s.Local[11..16]))}{(free.Count > MaxTimes ? ", and later ones" : "")}.");
    }

    [KernelFunction("book"), Description("Take the customer to confirm a booking of a service at a free time (from find_slots). The customer sees the summary and confirms; never say it is booked yourself.")]
    public async Task<string> BookAsync(
        [Description("The service's name as list_services gives it.")] string service,
        [Description("The day: today, tomorrow, Friday, 8 Jan, or yyyy-MM-dd.")] string day,
        [Description("The start time, HH:mm on a 24-hour clock, as find_slots gave it.")] string time,
        CancellationToken cancellationToken)
    {
        if (await ServiceAsync(service, cancellationToken) is not { } found)
        {
            return Keep($"No service is called \"{Cut(service)}\": call list_services.");
        }

        var date = TypedWhen.Read(day, Today).Day ?? Today;
        var free = await FreeAsync(found, date, cancellationToken);
        if (free.FirstOrDefault(s => s.Local[11..16] == time?.Trim()) is not { } slot)
        {
            return Keep($"{Cut(time)} on {BookingUpdates.Day(date)} is not a free time for {found.Name}: call find_slots.");
        }

        Handover = (BookingFlow.FlowName, BookingFlow.Given(found.Id, date, Instant.FromDateTimeOffset(slot.Start)),
            "The AI found a free time with its booking tools; the customer confirms in the booking flow.");
        return Keep($"The customer is shown {found.Name} on {BookingUpdates.Day(date)} at {slot.Local[11..16]} to confirm.");
    }

    [KernelFunction("my_bookings"), Description("The customer's own upcoming bookings: reference, service, with whom, when.")]
    public async Task<string> MyBookingsAsync(CancellationToken cancellationToken)
    {
        var upcoming = await UpcomingAsync(cancellationToken);
        return Keep(upcoming.Count == 0
            ? "The customer has no upcoming bookings."
            : string.Join("\n", upcoming.Select(b => $"{b.Reference}: {b.ServiceName} with {b.StaffName} on {BookingUpdates.When(b.StartAt, Zone)}")));
    }

    [KernelFunction("cancel_booking"), Description("Take the customer to cancel one of their bookings (by its reference from my_bookings); they confirm, and the business's late-cancellation rule applies.")]
    public Task<string> CancelBookingAsync([Description("The booking's reference, e.g. GTS-B-101.")] string reference, CancellationToken cancellationToken) =>
        ChangeAsync(reference, cancel: true, cancellationToken);

    [KernelFunction("reschedule_booking"), Description("Take the customer to move one of their bookings (by its reference from my_bookings) to another free time; they pick it and confirm.")]
    public Task<string> RescheduleBookingAsync([Description("The booking's reference, e.g. GTS-B-101.")] string reference, CancellationToken cancellationToken) =>
        ChangeAsync(reference, cancel: false, cancellationToken);

    private async Task<string> ChangeAsync(string reference, bool cancel, CancellationToken cancellationToken)
    {
        if ((await UpcomingAsync(cancellationToken)).FirstOrDefault(b => string.Equals(b.Reference, reference?.Trim(), StringComparison.OrdinalIgnoreCase)) is not { } booking)
        {
            return Keep($"The customer has no upcoming booking {Cut(reference)}: call my_bookings.");
        }

        Handover = (MyBookingsFlow.FlowName, MyBookingsFlow.Given(booking.Id, cancel),
            $"The AI found the customer's booking {booking.Reference} with its booking tools; the customer {(cancel ? "cancels" : "moves")} it in their bookings flow.");
        return Keep($"The customer is asked to confirm {(cancel ? "cancelling" : "moving")} {booking.Reference}.");
    }

    private LocalDate Today => Instant.FromDateTimeOffset(time.GetUtcNow()).InZone(Zone).Date;

    private async Task<IReadOnlyList<SlotView>> FreeAsync(BookableService service, LocalDate date, CancellationToken cancellationToken) =>
        (await queries.SlotsAsync(service.Id, null, HoursText.Write(date), HoursText.Write(date), cancellationToken)).Value?.Slots ?? [];

    private async Task<List<BookableService>> BookableAsync(CancellationToken cancellationToken) =>
        await db.BookableServices.AsNoTracking().Offered().OrderBy(s => s.Name).ToListAsync(cancellationToken);

    private async Task<BookableService?> ServiceAsync(string? name, CancellationToken cancellationToken)
    {
        var services = await BookableAsync(cancellationToken);
        var wanted = name?.Trim() ?? "";
        return services.FirstOrDefault(s => string.Equals(s.Name, wanted, StringComparison.OrdinalIgnoreCase))
            ?? services.FirstOrDefault(s => wanted.Length > 2 && s.Name.Contains(wanted, StringComparison.OrdinalIgnoreCase));
    }

    private async Task<List<Booking>> UpcomingAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        return await db.Bookings.AsNoTracking().UpcomingOf(conversation.ContactId, now).Take(10).ToListAsync(cancellationToken);
    }

    private static string Line(BookableService s) =>
        $"{s.Name}: {DurationWords.Minutes(s.DurationMinutes)}{(s.PriceMinor is { } minor && s.Currency is { } currency ? $", {Money.Format(minor, currency)}" : "")}";

    private static string Cut(string? text) => text is { Length: > 40 } ? text[..40] : text ?? "";

    private string Keep(string result)
    {
        _results.Add(result);
        return result;
    }
}
