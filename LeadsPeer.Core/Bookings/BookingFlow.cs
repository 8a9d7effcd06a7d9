using System.Globalization;
using LeadsPeer.Core.Data;
using LeadsPeer.Core.Flows;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using static LeadsPeer.Core.Flows.FlowMessages;
using Keys = LeadsPeer.Core.Bookings.BookingFlowKeys;
using Steps = LeadsPeer.Core.Bookings.BookingFlowSteps;

namespace LeadsPeer.Core.Bookings;

/// <summary>
/// Booking on WhatsApp by taps: service → day (the next days with free times) → time (in the
/// business's zone) → staff member when more than one is free → a summary → Confirm, Change or
/// Cancel → the reference. Every day and time offered comes from <see cref="Availability"/> as it
/// is at that moment, and the booking is made by <see cref="BookingBook"/> under the customer's
/// rules, so a time taken by someone else in between is told and the next free times offered.
/// </summary>
public sealed class BookingFlow(LeadsPeerDbContext db, BookingBook book, TimeProvider time) : IGuidedFlow
{
    public const string FlowName = "book";
    public const string StoppedText = "OK, nothing is booked. Write \"book an appointment\" any time to start again.";

    private const string Stop = "stop";

    public string Name => FlowName;

    public bool LeavesTermsToKnowledge => true;

    public IReadOnlyList<string> Triggers { get; } =
    [
        "book an appointment", "make an appointment", "an appointment", "to book", "book a", "new booking", "make a booking", "a booking",
        "reserve a", "schedule a", "schedule an", "free slots", "free times", "slots free", "free slot", "any slots", "available slots",
        "a time slot", "book me in", "book us in",
    ];

    /// <summary>
    /// With the local answerer: a request that names one of the services ("I'd like to come in for a
    /// cake consultation") asks for booking, unless it speaks of the customer's own booking of it
    /// ("can I move my tasting?": <see cref="MyBookingsFlow"/>).
    /// </summary>
    public async Task<bool> AskedForAsync(string text, CancellationToken cancellationToken)
    {
        if (!BookingRequest.IsRequest(text))
        {
            return false;
        }

        var services = await BookableAsync(cancellationToken);
        return BookingRequest.Named(text, services).Count > 0 && !BookingRequest.NamesOwn(text, services);
    }

    public async Task<FlowStep?> StartAsync(FlowContext context, CancellationToken cancellationToken)
    {
        var services = await BookableAsync(cancellationToken);
        if (services.Count == 0 || await SettingsAsync(cancellationToken) is null)
        {
            return null; // not offered: the agent answers ("do you take bookings?")
        }

        var data = new Dictionary<string, string> { [Keys.RequestKey] = Guid.NewGuid().ToString("N") };
        if (context.Given?.GetValueOrDefault(Keys.Service) is { } given && services.Any(s => s.Id.ToString("N") == given)
            && context.Given.GetValueOrDefault(Keys.Start) is { } start && context.Given.GetValueOrDefault(Keys.Day) is { } day)
        {
            // A free time a language model found with its tools: who and the summary, confirmed by the customer here.
            (data[Keys.Service], data[Keys.Day], data[Keys.Start]) = (given, day, start);
            return await AskAsync(Steps.Staff, data, null, cancellationToken);
        }

        // One service, or the one the customer named ("a tasting on Saturday"): straight to its days.
        IReadOnlyList<BookableService> named = services.Count == 1 ? services : BookingRequest.Named(context.Turn.Text, services);
        if (named.Count == 1)
        {
            data[Keys.Service] = named[0].Id.ToString("N");
            return await AskAsync(Steps.Day, data, null, cancellationToken);
        }

        return await AskAsync(Steps.Service, data, null, cancellationToken);
    }

    /// <summary>What the booking tools hand this flow (<see cref="FlowContext.Given"/>): a service and a free start, in the flow's own keys.</summary>
    public static IReadOnlyDictionary<string, string> Given(Guid serviceId, LocalDate day, Instant start) => new Dictionary<string, string>
    {
        [Keys.Service] = serviceId.ToString("N"),
        [Keys.Day] = HoursText.Write(day),
        [Keys.Start] = start.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture),
    };

    public async Task<FlowStep.Ask> QuestionAsync(FlowContext context, string step, IReadOnlyDictionary<string, string> data, CancellationToken cancellationToken) =>
        await AskAsync(step, new Dictionary<string, string>(data), null, cancellationToken);

    public async Task<FlowStep> AnswerAsync(FlowContext context, string step, FlowAnswer answer, IReadOnlyDictionary<string, string> state, CancellationToken cancellationToken)
    {
        var data = new Dictionary<string, string>(state);
        var choice = answer.ChoiceId;
        if (choice == Stop)
        {
            return new FlowStep.Finish(StoppedText);
        }

        // Typed words at the day or time question ("tomorrow at 5"): a free time they name goes on to who.
        if (choice is null && step is Steps.Day or Steps.Time
            && await Questions().TypedAsync(answer.Text, data, async chosen => await AskAsync(Steps.Staff, chosen, null, cancellationToken), cancellationToken) is { } typed)
        {
            return typed;
        }

        if (choice is null)
        {
            // Typed words on a step of taps: the same question again, with a word on how to answer it.
            return new FlowStep.Again(step == Steps.Confirm ? "Please tap Confirm, Change or Cancel." : "Please pick one from the list.");
        }

        switch (step)
        {
            case Steps.Service:
                if (choice == MoreId)
                {
                    return await AskAsync(Steps.Service, Page(data, +1), null, cancellationToken);
                }

                if (Id(choice, "s:") is not { } serviceId || !(await BookableAsync(cancellationToken)).Any(s => s.Id == serviceId))
                {
                    return new FlowStep.Again("That service is not offered any more: please pick another.");
                }

                data[Keys.Service] = serviceId.ToString("N");
                return await AskAsync(Steps.Day, Page(data, 0), null, cancellationToken);

            case Steps.Day:
                if (choice == Keys.Services)
                {
                    return await AskAsync(Steps.Service, Page(data, 0), null, cancellationToken);
                }

                if (choice == MoreId)
                {
                    return await AskAsync(Steps.Day, Page(data, +1), null, cancellationToken);
                }

                if (!choice.StartsWith("d:", StringComparison.Ordinal) || HoursText.Date(choice[2..]) is not { } day)
                {
                    return new FlowStep.Again("Please pick a day from the list.");
                }

                data[Keys.Day] = HoursText.Write(day);
                data.Remove(Keys.Only);
                return await AskAsync(Steps.Time, Page(data, 0), null, cancellationToken);

            case Steps.Time:
                if (choice == MoreId)
                {
                    return await AskAsync(Steps.Time, Page(data, +1), null, cancellationToken);
                }

                if (!choice.StartsWith("t:", StringComparison.Ordinal) || !long.TryParse(choice[2..], NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
                {
                    return new FlowStep.Again("Please pick a time from the list.");
                }

                data[Keys.Start] = seconds.ToString(CultureInfo.InvariantCulture);
                data.Remove(Keys.Staff);
                data.Remove(Keys.Only);
                return await AskAsync(Steps.Staff, data, null, cancellationToken);

            case Steps.Staff:
                if (choice != Keys.Anyone && Id(choice, "st:") is null)
                {
                    return new FlowStep.Again("Please pick who you would like.");
                }

                data[Keys.Staff] = choice == Keys.Anyone ? Keys.Anyone : choice[3..];
                return await AskAsync(Steps.Confirm, data, null, cancellationToken);

            case Steps.Confirm:
                if (choice == Keys.Change)
                {
                    return await AskAsync(Steps.Day, Page(data, 0), null, cancellationToken);
                }

                return choice == $"ok:{data[Keys.RequestKey]}"
                    ? await ConfirmAsync(context, data, cancellationToken)
                    : new FlowStep.Again("Please tap Confirm, Change or Cancel.");

            default:
                return await AskAsync(Steps.Day, data, null, cancellationToken);
        }
    }

    public async Task<string?> StaleTapAsync(FlowContext context, string step, string choiceId, CancellationToken cancellationToken)
    {
        // A second tap on Confirm (or one after the booking was made): say where the booking stands.
        if (step != Steps.Confirm || Id(choiceId, "ok:") is not { } key)
        {
            return null;
        }

        var booking = await db.Bookings.AsNoTracking().SingleOrDefaultAsync(b => b.RequestKey == key, cancellationToken);
        return booking is null ? null
            : $"Your booking {booking.Reference} is already {BookingLifecycle.Words(booking.Status)}: {booking.ServiceName} with {booking.StaffName} on {await WhenAsync(booking.StartAt, cancellationToken)}.";
    }

    private async Task<FlowStep> ConfirmAsync(FlowContext context, Dictionary<string, string> data, CancellationToken cancellationToken)
    {
        var start = Instant.FromUnixTimeSeconds(long.Parse(data[Keys.Start], CultureInfo.InvariantCulture));
        var staffId = data.GetValueOrDefault(Keys.Staff) is { } staff && staff != Keys.Anyone ? Guid.ParseExact(staff, "N") : (Guid?)null;
        var booked = await book.BookAsync(
            new NewBooking(Guid.ParseExact(data[Keys.Service], "N"), start.ToDateTimeOffset(), staffId, context.Conversation.ContactId) { RequestKey = Guid.ParseExact(data[Keys.RequestKey], "N") },
            BookedBy.Customer, context.Conversation.Id, cancellationToken);
        if (booked.Succeeded)
        {
            var booking = booked.Value!;
            return new FlowStep.Finish(
                $"You're booked! Your reference is *{booking.Reference}*: {booking.ServiceName} with {booking.StaffName} on {await WhenAsync(booking.StartAt, cancellationToken)}.\n"
                + "To change or cancel it, write to us here.");
        }

        // Taken since the list was shown (or no longer bookable): the customer sees the day's free times as they are now.
        var why = booked.Error!.Kind == FailureKind.Conflict ? $"Sorry, {await WhenAsync(start.ToDateTimeOffset(), cancellationToken)} was just taken." : $"Sorry, that time can't be booked: {Reason(booked.Error)}";
        data.Remove(Keys.Start);
        data.Remove(Keys.Staff);
        return await AskAsync(Steps.Time, Page(data, 0), why, cancellationToken);
    }

    private Task<FlowStep.Ask> AskAsync(string step, Dictionary<string, string> data, string? preface, CancellationToken cancellationToken) =>
        Questions().AskAsync(step, data, preface, cancellationToken);

    private BookingFlowQuestions Questions() => new(db, book, time, SettingsAsync);

    // Read once per turn, as the settings below.
    private Task<List<BookableService>> BookableAsync(CancellationToken cancellationToken) =>
        _services ??= db.BookableServices.AsNoTracking().Offered().OrderBy(s => s.Name).ToListAsync(cancellationToken);

    private Task<List<BookableService>>? _services;

    // Read once per turn: the flow is scoped to one run of the turn's work.
    private Task<BookingSettings?> SettingsAsync(CancellationToken cancellationToken) =>
        _settings ??= db.BookingSettings.AsNoTracking().SingleOrDefaultAsync(cancellationToken);

    private Task<BookingSettings?>? _settings;

    private async Task<string> WhenAsync(DateTimeOffset at, CancellationToken cancellationToken) =>
        BookingUpdates.When(at, BookingCalendar.ZoneOf(await SettingsAsync(cancellationToken)));

    /// <summary>What a refusal says to a customer: its first field message, or its title.</summary>
    internal static string Reason(UseCaseError error) =>
        error.Errors?.Values.FirstOrDefault()?.FirstOrDefault() ?? error.Title;

    internal static Guid? Id(string? choice, string prefix) =>
        choice?.StartsWith(prefix, StringComparison.Ordinal) == true && Guid.TryParseExact(choice[prefix.Length..], "N", out var id) ? id : null;
}
