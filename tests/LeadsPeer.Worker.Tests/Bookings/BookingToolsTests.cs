using System.Globalization;
using System.Text.Json;
using LeadsPeer.Testing;
using LeadsPeer.Worker.Tests.Channel;
using LeadsPeer.Worker.Tests.Knowledge;
using LeadsPeer.Worker.Tests.Orders;
using static LeadsPeer.Worker.Tests.Orders.OrderingCustomer;

namespace LeadsPeer.Worker.Tests.Bookings;

/// <summary>
/// Booking through a language model's tools, in the Worker process against the OpenAI stub: the
/// model reads the services and the free times from the same Core services as the booking flow,
/// the customer confirms the time in the flow, and cancels their own booking the same way. The
/// model's "you're booked" is never sent.
/// </summary>
public sealed class BookingToolsTests(TestStores stores) : IAsyncDisposable
{
    private readonly List<IAsyncDisposable> _owned = [];

    private static (string?, string?, string?) Call(string tool, object arguments) => (null, $"booking_{tool}", JsonSerializer.Serialize(arguments));

    [Fact]
    public async Task The_model_finds_a_free_time_with_the_tools_the_customer_confirms_it_in_the_flow_and_cancels_it_the_same_way()
    {
        var ai = Own(await OpenAiStub.StartAsync(dimensions: 16));
        var channel = Own(await ChannelHarness.CreateAsync(stores, more: KnowledgeHarness.OpenAi(ai)));
        var (_, sara, _) = await BookingFlowTests.SeedSalonAsync(channel);
        await channel.StartWorkerAsync();
        var phone = new OrderingCustomer(channel);
        var tomorrow = NodaTime.SystemClock.Instance.GetCurrentInstant().InZone(NodaTime.DateTimeZoneProviders.Tzdb["Asia/Karachi"]).Date.PlusDays(1)
            .ToString("ddd d MMM", CultureInfo.InvariantCulture);
        ai.ChatAnswers.Enqueue(Call("list_services", new { }));
        ai.ChatAnswers.Enqueue(Call("find_slots", new { service = "haircut", day = "tomorrow" }));
        ai.ChatAnswers.Enqueue(Call("book", new { service = "Haircut", day = "tomorrow", time = "17:00" }));
        ai.ChatAnswers.Enqueue(("You're booked for 17:00 tomorrow!", null, null)); // never asked for: the flow answers

        var who = await phone.SayAsync("Can I get a haircut tomorrow at 5pm?");

        Assert.Equal(["Whoever is free", "Omar", "Sara"], Choices(who).Select(c => c.Title));
        Assert.Equal(["Flow", "The AI found a free time with its booking tools; the customer confirms in the booking flow. The book flow asked (staff)."],
            (await channel.Db.RowsAsync("SELECT outcome, outcome_reason FROM messages WHERE direction = 'Outbound'")).Single());
        var requests = ai.ChatRequests.ToList();
        Assert.Equal(3, requests.Count); // the handover ends the rounds: the model's own words are not asked for
        Assert.Equal(0, ai.InvalidRequests);
        Assert.Contains("call book: they are shown the booking to confirm", OpenAiStub.PromptText(requests[0]));
        Assert.Contains("Beard trim: 30 minutes\nHaircut: 1 hour, PKR 1,500.00", OrderingToolsTests.ToolResults(requests[1]));
        // Tomorrow's first times depend on the hour the test runs (an hour's notice): 17:00 is always among them.
        Assert.Matches($@"Free times for Haircut on {tomorrow} \(Asia/Karachi time\): [^\n]*\b17:00\b", OrderingToolsTests.ToolResults(requests[2]));
        Assert.DoesNotContain(channel.Graph.Sent, m => m.ToJsonString().Contains("You're booked for"));

        var summary = await phone.TapAsync(who, $"st:{sara:N}");
        Assert.Contains($"Haircut with Sara\n{tomorrow} at 17:00 (1 hour)", Body(summary));
        Assert.StartsWith("You're booked! Your reference is *BK-B-101*", Body(await phone.TapAsync(summary, "ok:")));

        Assert.True(ai.ChatAnswers.TryDequeue(out var unasked) && unasked.Text!.StartsWith("You're booked", StringComparison.Ordinal)); // the model was not asked again

        // The customer's own booking, found and cancelled through the tools and the flow.
        ai.ChatAnswers.Enqueue(Call("my_bookings", new { }));
        ai.ChatAnswers.Enqueue(Call("cancel_booking", new { reference = "bk-b-101" }));
        var sure = await phone.SayAsync("Something came up, I can't make it after all");
        Assert.StartsWith($"Cancel your booking: Haircut with Sara on {tomorrow} at 17:00 (BK-B-101)?", Body(sure));
        Assert.Contains($"BK-B-101: Haircut with Sara on {tomorrow} at 17:00", OrderingToolsTests.ToolResults(ai.ChatRequests.Last()));
        Assert.StartsWith("Your booking BK-B-101 is cancelled.", Body(await phone.TapAsync(sure, "yes")));
        Assert.Equal("Cancelled", await channel.Db.ScalarAsync<string>("SELECT status FROM bookings"));
        await channel.QuiescentAsync();
    }

    private T Own<T>(T owned) where T : IAsyncDisposable
    {
        _owned.Add(owned);
        return owned;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var owned in Enumerable.Reverse(_owned))
        {
            await owned.DisposeAsync();
        }
    }
}
