using System.Globalization;
using LeadsPeer.Core.Flows;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using static LeadsPeer.Core.Flows.FlowMessages;
using Keys = LeadsPeer.Core.Bookings.BookingFlowKeys;
using Steps = LeadsPeer.Core.Bookings.BookingFlowSteps;

namespace LeadsPeer.Core.Bookings;

/// <summary>Typed answers to the day and time questions ("tomorrow at 5", "Friday morning"), read in the business's zone.</summary>
public sealed partial class BookingFlow
{
    /// <summary>
    /// A day and time the customer wrote instead of tapping: a free time that is the one they
    /// meant goes on to who and the summary; a day (or part of one) lists its times; an hour that
    /// could be morning or afternoon, both free, is asked back. Null when the words name no day or
    /// time (the question is asked again).
    /// </summary>
    private async Task<FlowStep?> TypedAsync(string? text, Dictionary<string, string> data, CancellationToken cancellationToken)
    {
        var zone = BookingCalendar.ZoneOf(await SettingsAsync(cancellationToken));
        var today = Instant.FromDateTimeOffset(time.GetUtcNow()).InZone(zone).Date;
        var when = TypedWhen.Read(text, today);
        var service = data.GetValueOrDefault(Keys.Service) is { } id
            ? await db.BookableServices.AsNoTracking().SingleOrDefaultAsync(s => s.Id == Guid.ParseExact(id, "N") && s.Active, cancellationToken)
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
        var questions = new BookingFlowQuestions(db, book, time, SettingsAsync);
        var free = await questions.FreeOnAsync(service, day, moving, cancellationToken);
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
                return await AskAsync(Steps.Staff, data, null, cancellationToken);
            case > 1:
                data[Keys.Only] = string.Join(",", fitting.Select(BookingFlowQuestions.Clock));
                return await AskAsync(Steps.Time, Page(data, 0), $"Did you mean {string.Join(" or ", fitting.Select(BookingFlowQuestions.Clock))}? Please pick one.", cancellationToken);
            default:
                var asked = when.Time is { } clock ? clock.ToString("HH:mm", CultureInfo.InvariantCulture) : $"{when.Hour12} o'clock";
                return await AskAsync(Steps.Time, Page(data, 0), $"Sorry, {asked} on {BookingUpdates.Day(day)} is not free.", cancellationToken);
        }
    }
}
