using System.Globalization;
using LeadsPeer.Core.Flows;
using NodaTime;
using static LeadsPeer.Core.Flows.FlowMessages;
using Keys = LeadsPeer.Core.Bookings.BookingFlowKeys;

namespace LeadsPeer.Core.Bookings;

/// <summary>The customer's bookings flow's questions: which booking, what to do with it, the cancel and the move to confirm.</summary>
public sealed partial class MyBookingsFlow
{
    private async Task<FlowStep.Ask> AskAsync(FlowContext context, string step, Dictionary<string, string> data, string? preface, CancellationToken cancellationToken)
    {
        if (step is BookingFlowSteps.Day or BookingFlowSteps.Time)
        {
            return await Questions().AskAsync(step, data, preface, cancellationToken);
        }

        var zone = await ZoneAsync(cancellationToken);
        var upcoming = step == Pick ? await UpcomingAsync(context, cancellationToken) : [];
        var question = step switch
        {
            // Asked again after the bookings changed (the team cancelled one meanwhile): never an empty list.
            Pick when upcoming.Count == 0 => Buttons(NoneText, (Done, "OK")),
            Pick => List("Which booking?", "Your bookings",
                upcoming.Select(b => Row($"b:{b.Id:N}", b.ServiceName, $"{BookingUpdates.When(b.StartAt, zone)} · {b.Reference}")), more: false),
            _ => await AboutAsync(context, step, data, cancellationToken),
        };
        var asked = preface is null ? question : question with { Body = Cut($"{preface}\n\n{question.Body}", Conversations.Interactive.InteractiveLimits.Body) };
        return new FlowStep.Ask(step, asked, data);
    }

    /// <summary>The questions about one booking: what to do with it, cancelling it, moving it to the chosen time.</summary>
    private async Task<Conversations.Interactive.InteractiveContent> AboutAsync(FlowContext context, string step, Dictionary<string, string> data, CancellationToken cancellationToken)
    {
        if (await OwnAsync(context, data, cancellationToken) is not { } booking)
        {
            return Buttons(GoneText, (Done, "OK"));
        }

        var what = $"{booking.ServiceName} with {booking.StaffName} on {await WhenAsync(booking.StartAt, cancellationToken)} ({booking.Reference})";
        switch (step)
        {
            case Cancel:
                var settings = await SettingsAsync(cancellationToken);
                var late = settings is not null && Late(booking, settings)
                    ? $"\nIt is less than {DurationWords.Minutes(settings.CancellationNoticeMinutes)} away." : "";
                return Buttons($"Cancel your booking: {what}?{late}", ("yes", "Yes, cancel it"), ("keep", "Keep it"));
            case Move:
                var to = Instant.FromUnixTimeSeconds(long.Parse(data[Keys.Start], CultureInfo.InvariantCulture)).ToDateTimeOffset();
                return Buttons($"Move your booking {booking.Reference} ({booking.ServiceName}) from {await WhenAsync(booking.StartAt, cancellationToken)} to {await WhenAsync(to, cancellationToken)}?",
                    ("ok", "Yes, move it"), ("keep", "Keep it"));
            default:
                return Buttons($"Your booking: {what}. What would you like to do?", ("x", "Cancel it"), ("m", "Move it"), ("keep", "Keep it"));
        }
    }
}
