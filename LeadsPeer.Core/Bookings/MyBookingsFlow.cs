using System.Globalization;
using LeadsPeer.Core.Data;
using LeadsPeer.Core.Flows;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using static LeadsPeer.Core.Flows.FlowMessages;
using Keys = LeadsPeer.Core.Bookings.BookingFlowKeys;

namespace LeadsPeer.Core.Bookings;

/// <summary>
/// The customer's own upcoming bookings in the chat: "my booking", "cancel my appointment",
/// "reschedule" → their bookings (a list when there are several) → Cancel, Move or Keep ("move it to
/// Saturday at 3" goes straight to that time, typed answers work at the day and time questions). A cancel
/// is confirmed first, and one inside the business's cancellation notice follows its rule (told
/// it is late, or handed to the team); a move offers the free days and times as the booking flow
/// does, the booking's own time not counting as taken. Only the customer's own bookings are ever
/// listed or touched.
/// </summary>
public sealed partial class MyBookingsFlow(LeadsPeerDbContext db, BookingBook book, TimeProvider time) : IGuidedFlow
{
    public const string FlowName = "my-bookings";

    /// <summary>The step a reminder's buttons answer (<see cref="BookingReminders"/>): c:, x: or m: and the booking's id.</summary>
    public const string RemindStep = "remind";

    public const string GoneText = "That booking is no longer upcoming. Write \"my booking\" to see the ones you have.";
    public const string NoneText = "You have no upcoming bookings with us. Write \"book an appointment\" to make one.";

    private const string Pick = "pick";
    private const string Action = "action";
    private const string Cancel = "cancel";
    private const string Move = "move";
    private const string Booking = "booking";
    private const string Intent = "intent";
    private const string Done = "done";

    public string Name => FlowName;

    public IReadOnlyList<string> Triggers { get; } =
        ["my booking", "my bookings", "my appointment", "my appointments", "reschedule", "move my", "change the appointment", "cancel the appointment", "cancel the booking",
         "my * appointment", "my * booking", "do i have a booking", "do i have any booking", "do i have an appointment", "do i have any appointment",
         "appointment cancel", "booking cancel"]; // Roman Urdu puts the verb last: "appointment cancel kar dein"

    /// <summary>
    /// With the local answerer: "my" before one of the services ("cancel my consultation", "what
    /// time is my tasting?") speaks of the customer's own booking. Every service counts, also one
    /// switched off since it was booked.
    /// </summary>
    public async Task<bool> AskedForAsync(string text, CancellationToken cancellationToken) =>
        BookingRequest.SpeaksOfOwn(text)
        && BookingRequest.NamesOwn(text, await db.BookableServices.AsNoTracking().ToListAsync(cancellationToken));

    public async Task<FlowStep?> StartAsync(FlowContext context, CancellationToken cancellationToken)
    {
        if (await SettingsAsync(cancellationToken) is null)
        {
            return null; // the business takes no bookings: the agent answers
        }

        var upcoming = await UpcomingAsync(context, cancellationToken);
        if (upcoming.Count == 0)
        {
            return new FlowStep.Finish(NoneText);
        }

        if (context.Given?.GetValueOrDefault(Booking) is { } given && upcoming.Any(b => b.Id.ToString("N") == given))
        {
            // The customer's own booking a language model picked, and what they want done: asked here.
            return await ChosenAsync(context, new Dictionary<string, string> { [Booking] = given, [Intent] = context.Given.GetValueOrDefault(Intent) ?? "" }, cancellationToken);
        }

        var words = context.Turn.Text?.ToLowerInvariant() ?? "";
        var data = new Dictionary<string, string>
        {
            [Intent] = words.Contains("cancel", StringComparison.Ordinal) || words.Contains("delete", StringComparison.Ordinal) ? Cancel
                : words.Contains("move", StringComparison.Ordinal) || words.Contains("reschedule", StringComparison.Ordinal) || words.Contains("change", StringComparison.Ordinal) ? Move
                : "",
        };
        if (upcoming.Count > 1)
        {
            return await AskAsync(context, Pick, data, null, cancellationToken);
        }

        data[Booking] = upcoming[0].Id.ToString("N");
        return await ChosenAsync(context, data, cancellationToken, typed: context.Turn.Text);
    }

    /// <summary>What the booking tools hand this flow: one of the customer's bookings, to cancel or to move.</summary>
    public static IReadOnlyDictionary<string, string> Given(Guid bookingId, bool cancel) =>
        new Dictionary<string, string> { [Booking] = bookingId.ToString("N"), [Intent] = cancel ? Cancel : Move };

    /// <summary>A reminder's Confirm (noted for the team), Cancel or Reschedule (on to the same questions as "my booking").</summary>
    public async Task<FlowStep?> StandingTapAsync(FlowContext context, string step, string choiceId, CancellationToken cancellationToken)
    {
        if (step != RemindStep || choiceId is not [var action and ('c' or 'x' or 'm'), ':', ..])
        {
            return null;
        }

        var data = new Dictionary<string, string> { [Booking] = choiceId[2..], [Intent] = action == 'x' ? Cancel : action == 'm' ? Move : "" };
        if (await OwnAsync(context, data, cancellationToken) is not { } booking)
        {
            return new FlowStep.Finish(GoneText);
        }

        if (action == 'c')
        {
            await book.ConfirmAttendanceAsync(booking.Id, context.Conversation.ContactId, cancellationToken);
            return new FlowStep.Finish($"Thank you for confirming. See you on {await WhenAsync(booking.StartAt, cancellationToken)}!");
        }

        return await ChosenAsync(context, data, cancellationToken);
    }

    public async Task<FlowStep.Ask> QuestionAsync(FlowContext context, string step, IReadOnlyDictionary<string, string> data, CancellationToken cancellationToken) =>
        await AskAsync(context, step, new Dictionary<string, string>(data), null, cancellationToken);

    public async Task<FlowStep> AnswerAsync(FlowContext context, string step, FlowAnswer answer, IReadOnlyDictionary<string, string> state, CancellationToken cancellationToken)
    {
        var data = new Dictionary<string, string>(state);
        var choice = answer.ChoiceId;
        // "Saturday at 3" at the day or time question of a move: the free time it names, asked to confirm.
        if (choice is null && step is BookingFlowSteps.Day or BookingFlowSteps.Time
            && await Questions().TypedAsync(answer.Text, data, MovingTo(context, cancellationToken), cancellationToken) is { } typed)
        {
            return typed;
        }

        if (choice is null)
        {
            return new FlowStep.Again("Please tap one of the choices.");
        }

        if (choice == "keep")
        {
            return new FlowStep.Finish("OK, your booking stays as it is. See you then!");
        }

        if (choice == Done)
        {
            return new FlowStep.Finish("OK. Write \"my booking\" any time to see your bookings.");
        }

        if (step == Pick)
        {
            if (BookingFlow.Id(choice, "b:") is not { } picked || (await UpcomingAsync(context, cancellationToken)).All(b => b.Id != picked))
            {
                return new FlowStep.Again("Please pick one of your bookings.");
            }

            data[Booking] = picked.ToString("N");
            return await ChosenAsync(context, data, cancellationToken);
        }

        if (await OwnAsync(context, data, cancellationToken) is not { } booking)
        {
            return new FlowStep.Finish(GoneText);
        }

        switch (step)
        {
            case Action:
                data[Intent] = choice == "x" ? Cancel : choice == "m" ? Move : "";
                return await ChosenAsync(context, data, cancellationToken);

            case Cancel when choice == "yes":
                var cancelled = await book.CancelAsync(booking.Id, null, BookedBy.Customer, cancellationToken);
                return new FlowStep.Finish(cancelled.Succeeded
                    ? $"Your booking {booking.Reference} is cancelled. Write \"book an appointment\" any time to make a new one."
                    : cancelled.Error!.Title);

            case BookingFlowSteps.Day when choice == MoreId:
            case BookingFlowSteps.Time when choice == MoreId:
                return await AskAsync(context, step, Page(data, +1), null, cancellationToken);

            case BookingFlowSteps.Day when choice.StartsWith("d:", StringComparison.Ordinal) && HoursText.Date(choice[2..]) is { } day:
                data[Keys.Day] = HoursText.Write(day);
                return await AskAsync(context, BookingFlowSteps.Time, Page(data, 0), null, cancellationToken);

            case BookingFlowSteps.Time when choice.StartsWith("t:", StringComparison.Ordinal) && long.TryParse(choice[2..], NumberStyles.None, CultureInfo.InvariantCulture, out var seconds):
                data[Keys.Start] = seconds.ToString(CultureInfo.InvariantCulture);
                return await AskAsync(context, Move, data, null, cancellationToken);

            case Move when choice == "ok" && data.ContainsKey(Keys.Start):
                return await MoveAsync(context, booking, data, cancellationToken);

            default:
                return new FlowStep.Again("Please tap one of the choices.");
        }
    }

    /// <summary>
    /// A booking was chosen: what the customer said they wanted, or the question of what to do. A
    /// move asked for with a day or a time in the same words ("move my booking to Saturday at 3")
    /// goes straight to that day's times, or to that time to confirm.
    /// </summary>
    private async Task<FlowStep> ChosenAsync(FlowContext context, Dictionary<string, string> data, CancellationToken cancellationToken, string? typed = null)
    {
        if (await OwnAsync(context, data, cancellationToken) is not { } booking)
        {
            return new FlowStep.Finish(GoneText);
        }

        switch (data.GetValueOrDefault(Intent))
        {
            case Cancel:
                if (await SettingsAsync(cancellationToken) is { LateCancellation: LateCancellation.HandOff } settings && Late(booking, settings))
                {
                    return new FlowStep.HandOff($"The customer asks to cancel booking {booking.Reference} within the cancellation notice ({DurationWords.Minutes(settings.CancellationNoticeMinutes)}).");
                }

                return await AskAsync(context, Cancel, data, null, cancellationToken);
            case Move:
                data[Keys.Moving] = booking.Id.ToString("N");
                data[Keys.Service] = booking.ServiceId?.ToString("N") ?? "";
                return await Questions().TypedAsync(typed, data, MovingTo(context, cancellationToken), cancellationToken)
                       ?? await AskAsync(context, BookingFlowSteps.Day, Page(data, 0), null, cancellationToken);
            default:
                return await AskAsync(context, Action, data, null, cancellationToken);
        }
    }

    /// <summary>A free time picked for the move: the customer confirms it.</summary>
    private Func<Dictionary<string, string>, Task<FlowStep>> MovingTo(FlowContext context, CancellationToken cancellationToken) =>
        async data => await AskAsync(context, Move, data, null, cancellationToken);

    private async Task<FlowStep> MoveAsync(FlowContext context, Booking booking, Dictionary<string, string> data, CancellationToken cancellationToken)
    {
        var start = Instant.FromUnixTimeSeconds(long.Parse(data[Keys.Start], CultureInfo.InvariantCulture));
        var service = await db.BookableServices.AsNoTracking().SingleOrDefaultAsync(s => s.Id == booking.ServiceId, cancellationToken);
        var slot = service is null ? null : await Questions().FreeAtAsync(service, start, booking.Id, cancellationToken);
        // The same person when they are free then; otherwise whoever is.
        var staffId = slot is null ? booking.StaffId : slot.StaffIds.Contains(booking.StaffId ?? Guid.Empty) ? booking.StaffId : slot.StaffIds[0];
        var moved = await book.RescheduleAsync(booking.Id, new BookingReschedule(start.ToDateTimeOffset(), staffId), BookedBy.Customer, cancellationToken);
        if (moved.Succeeded)
        {
            return new FlowStep.Finish($"Done: your booking {booking.Reference} is now on {await WhenAsync(moved.Value!.StartAt, cancellationToken)} with {moved.Value.StaffName}.");
        }

        data.Remove(Keys.Start);
        var why = moved.Error!.Kind == FailureKind.Conflict && moved.Error.Facts is null
            ? $"Sorry, {await WhenAsync(start.ToDateTimeOffset(), cancellationToken)} was just taken."
            : $"Sorry, that time can't be booked: {BookingFlow.Reason(moved.Error)}";
        return await AskAsync(context, BookingFlowSteps.Time, Page(data, 0), why, cancellationToken);
    }

    private async Task<List<Booking>> UpcomingAsync(FlowContext context, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        return await db.Bookings.AsNoTracking().UpcomingOf(context.Conversation.ContactId, now).Take(RowsPerPage).ToListAsync(cancellationToken);
    }

    /// <summary>The chosen booking, only while it is the customer's own and upcoming.</summary>
    private async Task<Booking?> OwnAsync(FlowContext context, IReadOnlyDictionary<string, string> data, CancellationToken cancellationToken)
    {
        if (BookingFlow.Id($"b:{data.GetValueOrDefault(Booking)}", "b:") is not { } id)
        {
            return null;
        }

        var now = time.GetUtcNow();
        return await db.Bookings.AsNoTracking()
            .UpcomingOf(context.Conversation.ContactId, now).SingleOrDefaultAsync(b => b.Id == id, cancellationToken);
    }

    private bool Late(Booking booking, BookingSettings settings) =>
        settings.CancellationNoticeMinutes > 0 && booking.StartAt - time.GetUtcNow() < TimeSpan.FromMinutes(settings.CancellationNoticeMinutes);

    private BookingFlowQuestions Questions() => new(db, book, time, SettingsAsync);

    private Task<BookingSettings?> SettingsAsync(CancellationToken cancellationToken) =>
        _settings ??= db.BookingSettings.AsNoTracking().SingleOrDefaultAsync(cancellationToken);

    private Task<BookingSettings?>? _settings;

    private async Task<DateTimeZone> ZoneAsync(CancellationToken cancellationToken) =>
        BookingCalendar.ZoneOf(await SettingsAsync(cancellationToken));

    private async Task<string> WhenAsync(DateTimeOffset at, CancellationToken cancellationToken) => BookingUpdates.When(at, await ZoneAsync(cancellationToken));
}
