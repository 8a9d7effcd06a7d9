using LeadsPeer.Testing;

namespace LeadsPeer.Worker.Tests.Channel;

/// <summary>
/// The Worker as its own process with every log category at Trace: a customer's turn is read,
/// answered and sent, and its output holds no number, profile name, message body (theirs or the
/// answer) or access token.
/// </summary>
public sealed class LogPrivacyTests(TestStores stores)
{
    private const string Body = "my card number is 4111 1111";

    [Fact]
    public async Task A_turn_answered_at_trace_level_leaves_no_number_name_body_or_token_in_the_logs()
    {
        await using var channel = await ChannelHarness.CreateAsync(stores, more: TraceLogging.Settings());
        await channel.StartWorkerAsync(keepLines: 200_000);

        await channel.DeliverTextAsync(Body);
        await channel.EventuallyAsync(() => Task.FromResult(!channel.Graph.Sent.IsEmpty), "the reply is sent");
        await channel.QuiescentAsync();

        var output = channel.Worker!.Output;
        // Trace was on in EF Core and the HTTP client too: the logs had every chance to.
        Assert.Contains("dbug: Microsoft.EntityFrameworkCore.", output);
        Assert.Contains("trce: System.Net.Http.HttpClient.", output);
        Assert.DoesNotContain(ChannelHarness.Customer, output);
        Assert.DoesNotContain("Sheena Nelson", output);
        // The card digits as written, space included: four digits alone also occur in the
        // loopback ports the test servers happen to get.
        Assert.DoesNotContain("4111 1111", output);
        Assert.DoesNotContain("card number", output);
        Assert.DoesNotContain(ChannelHarness.KnownAnswer, output);
        Assert.DoesNotContain(ChannelHarness.BusinessToken, output);
    }
}
