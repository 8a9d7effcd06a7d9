using LeadsPeer.Core.Bookings;
using LeadsPeer.Core.Work;
using LeadsPeer.Testing;
using LeadsPeer.Worker.Tests.Channel;
using LeadsPeer.Worker.Tests.Orders;
using Microsoft.Extensions.DependencyInjection;
using static LeadsPeer.Worker.Tests.Orders.OrderingCustomer;

namespace LeadsPeer.Worker.Tests.Bookings;

/// <summary>
/// A reminder through the Worker process: its row is never dispatched ahead, the sweeper finds it
/// once due, the reminder is sent once with Confirm / Cancel / Reschedule, and the customer's taps
/// on it act on the booking.
/// </summary>
public sealed class BookingReminderTests(TestStores stores)
{
    [Fact]
    public async Task A_due_reminder_is_found_by_the_sweeper_sent_once_and_its_confirm_and_cancel_taps_act_on_the_booking()
    {
        await using var channel = await ChannelHarness.CreateAsync(stores);
        var (haircut, sara, _) = await BookingFlowTests.SeedSalonAsync(channel);
        await channel.Db.ExecuteAsync("UPDATE booking_settings SET reminder_minutes = '{120}'");
        await channel.StartWorkerAsync();
        var phone = new OrderingCustomer(channel);
        await phone.SayAsync("Hello"); // the customer wrote: the window is open

        // A booking two hours and two seconds away: its two-hour reminder falls due in two seconds.
        var start = DateTimeOffset.UtcNow.AddHours(2).AddSeconds(2);
        var booking = Guid.CreateVersion7();
        await channel.Db.ExecuteAsync("""
            INSERT INTO bookings (id, tenant_id, reference, service_id, service_name, staff_id, staff_name, start_at, end_at, blocked_until, exclusive, status,
                                  contact_id, conversation_id, customer_name, booked_by, created_at, updated_at)
            SELECT $1, tenant_id, 'BK-B-9', $2, 'Haircut', $3, 'Sara', $4, $4 + interval '1 hour', $4 + interval '1 hour', true, 'Confirmed',
                   contact_id, id, 'Sheena', 'Customer', now(), now()
            FROM conversations
            """, booking, haircut, sara, start.UtcDateTime);
        var before = channel.Graph.Sent.Count;
        await channel.Services.GetRequiredService<WorkRows>().ArmAsync(WorkRequest.BookingReminder(channel.TenantId, booking, start.AddHours(-2)), TestContext.Current.CancellationToken);

        var reminder = await phone.NextSentAsync(before);
        Assert.StartsWith("Reminder: your booking BK-B-9, Haircut with Sara, is ", Body(reminder));
        Assert.Equal(["Confirm", "Cancel", "Reschedule"], Choices(reminder).Select(c => c.Title));
        await channel.EventuallyAsync(async () => await channel.Db.CountAsync("work_items", "kind = 'BookingReminder' AND state = 'Done'") == 1, "the reminder's work is done");
        Assert.Equal(new[] { 120 }, await channel.Db.ScalarAsync<int[]>("SELECT reminders_sent FROM bookings"));

        var thanks = await phone.TapAsync(reminder, "c:");
        Assert.StartsWith("Thank you for confirming. See you on ", Body(thanks));
        Assert.Equal(1, await channel.Db.CountAsync("bookings", "customer_confirmed_at IS NOT NULL"));

        // A change of mind: Cancel on the same reminder asks first, then cancels.
        var sure = await phone.TapAsync(reminder, "x:");
        Assert.StartsWith("Cancel your booking: Haircut with Sara on ", Body(sure));
        Assert.StartsWith("Your booking BK-B-9 is cancelled.", Body(await phone.TapAsync(sure, "yes")));
        Assert.Equal(["Cancelled", "Customer"], (await channel.Db.RowsAsync("SELECT status, cancelled_by FROM bookings")).Single());
        Assert.Equal(1, await channel.Db.CountAsync("messages", $"asked_by = '{BookingReminders.AskedBy}'"));
        await channel.QuiescentAsync();
    }
}
