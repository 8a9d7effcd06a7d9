using System.Globalization;
using LeadsPeer.Core.Flows;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using static LeadsPeer.Core.Flows.FlowMessages;
using Keys = LeadsPeer.Core.Bookings.BookingFlowKeys;
using Steps = LeadsPeer.Core.Bookings.BookingFlowSteps;

namespace LeadsPeer.Core.Bookings;

/// <summary>
/// Typed answers to the day and time questions ("tomorrow at 5", "Friday morning"), read in the
/// business's zone — the same for a new booking and for moving one ("move it to Saturday").
/// </summary>
internal sealed partial class BookingFlowQuestions
{
    /// <summary>
    /// A day and time the customer wrote instead of tapping, for the service in
    /// <paramref name="data"/> (and the booking being moved, when there is one): a free time that
    /// is the one they meant goes to <paramref name="chosen"/> (its start in the data); a day (or
    /// part of one) lists its times; an hour that could be morning or afternoon, both free, is
    /// asked back. Null when the words name no day or time (the flow asks its question again).
    /// </summary>
    public async Task<FlowStep?> TypedAsync(
        string? text, Dictionary<string, string> data, Func<Dictionary<string, string>, Task<FlowStep>> chosen, CancellationToken cancellationToken)
    {
        var zone = BookingCalendar.ZoneOf(await settingsOf(cancellationToken));
        var today = Instant.FromDateTimeOffset(time.GetUtcNow()).InZone(zone).Date;
        var when = TypedWhen.Read(text, today);
        var service = data.GetValueOrDefault(Keys.Service) is { Length: > 0 } id && Guid.TryParseExact(id, "N", out var serviceId)
            ? await db.BookableServices.AsNoTracking().SingleOrDefaultAsync(s => s.Id == serviceId && s.Active, cancellationToken)
            : null;
        if (when.IsEmpty || service is null)
        {
            return null;
        }

        if ((when.Day ?? HoursText.Date(data.GetValueOrDefault(Keys.Day))) is not { } day)
        {
            return new FlowStep.Again("Which day? Pick one from the list, or write a day and a time, e.g. \"Friday at 5\".");
        }

        var moving = data.GetValueOrDefault(Keys.Moving) is { } movingId ? Guid.ParseExact(movingId, "N") : (Guid?)null;
        var free = await FreeOnAsync(service, day, moving, cancellationToken);
        var fitting = free.Where(s => when.Fits(s.Local.TimeOfDay)).DistinctBy(s => s.Start).ToList();
        data[Keys.Day] = HoursText.Write(day);
        data.Remove(Keys.Start);
        data.Remove(Keys.Staff);
        data.Remove(Keys.Only);
        if (when.Time is null && when.Hour12 is null)
        {
            // A day, perhaps a part of it: its free times, those of that part first when there are any.
            var part = when.Part is { } named && fitting.Count == 0 && free.Count > 0 ? $"Nothing is free that {named.ToString().ToLowerInvariant()}; these are the day's free times." : null;
            return await AskAsync(Steps.Time, Page(data, 0), part, cancellationToken);
        }

        switch (fitting.Count)
        {
            case 1:
                data[Keys.Start] = fitting[0].Start.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
                return await chosen(data);
            case > 1:
                data[Keys.Only] = string.Join(",", fitting.Select(Clock));
                return await AskAsync(Steps.Time, Page(data, 0), $"Did you mean {string.Join(" or ", fitting.Select(Clock))}? Please pick one.", cancellationToken);
            default:
                var asked = when.Time is { } clock ? clock.ToString("HH:mm", CultureInfo.InvariantCulture) : $"{when.Hour12} o'clock";
                return await AskAsync(Steps.Time, Page(data, 0), $"Sorry, {asked} on {BookingUpdates.Day(day)} is not free.", cancellationToken);
        }
    }
}
