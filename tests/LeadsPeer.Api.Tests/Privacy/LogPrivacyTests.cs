using System.Net.Http.Json;
using System.Text.Json;
using LeadsPeer.Testing;

namespace LeadsPeer.Api.Tests.Privacy;

/// <summary>
/// At Trace level (every category), the Api's logs hold no customer number, profile name,
/// message body (theirs or ours) or bearer token — through every route that carries them: the
/// sandbox customer's message and inbox, the inbox search, a contact, an operator's reply.
/// </summary>
public sealed class LogPrivacyTests(TestStores stores) : IAsyncLifetime
{
    private const string Number = "923001234567";
    private const string ProfileName = "Sheena Nelson";
    private const string Body = "my card number is 4111 1111";
    private const string Reply = "Your parcel code is 5500 4433";
    private ApiFactory _api = null!;
    private CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _api = await ApiFactory.CreateAsync(stores);
        foreach (var (key, level) in TraceLogging.Settings())
        {
            _api.Settings[key] = level;
        }
    }

    [Fact]
    public async Task Numbers_names_bodies_and_tokens_never_reach_the_logs_at_trace_level()
    {
        using var owner = await _api.SignUpAsync("Harbour Hats", "owner@harbour.example");
        var token = owner.DefaultRequestHeaders.Authorization!.Parameter!;
        using var created = await owner.PostAsync("/api/whatsapp/connections/sandbox", null, Ct);
        var sandbox = (await created.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetGuid();

        (await owner.PostAsJsonAsync($"/api/sandbox/connections/{sandbox}/customer-messages", new { text = Body, from = Number, name = ProfileName }, Ct)).EnsureSuccessStatusCode();
        var found = await owner.GetFromJsonAsync<JsonElement>($"/api/conversations?search={Uri.EscapeDataString(ProfileName)}", Ct);
        var conversation = Assert.Single(found.GetProperty("items").EnumerateArray());
        var id = conversation.GetProperty("id").GetGuid();
        (await owner.GetAsync($"/api/conversations?search={Number}", Ct)).EnsureSuccessStatusCode();
        (await owner.GetAsync($"/api/contacts/{conversation.GetProperty("contactId").GetGuid()}", Ct)).EnsureSuccessStatusCode();
        (await owner.PostAsync($"/api/conversations/{id}/claim", null, Ct)).EnsureSuccessStatusCode();
        (await owner.PostAsJsonAsync($"/api/conversations/{id}/messages", new { text = Reply }, Ct)).EnsureSuccessStatusCode();
        (await owner.GetAsync($"/api/sandbox/connections/{sandbox}/customer-inbox?customer={Number}", Ct)).EnsureSuccessStatusCode();

        var logs = _api.Logs.All;
        // Trace was on in ASP.NET Core and EF Core too: the logs had every chance to.
        Assert.Contains(_api.Logs.Lines, l => l.StartsWith("Trace Microsoft.AspNetCore.", StringComparison.Ordinal));
        Assert.Contains(_api.Logs.Lines, l => l.StartsWith("Debug Microsoft.EntityFrameworkCore.", StringComparison.Ordinal));
        Assert.DoesNotContain(Number, logs);
        Assert.DoesNotContain(ProfileName, logs);
        Assert.DoesNotContain(Uri.EscapeDataString(ProfileName), logs);
        // The digits with their space: four hex digits alone turn up in a random id now and then.
        Assert.DoesNotContain("4111 1111", logs);
        Assert.DoesNotContain("5500 4433", logs);
        Assert.DoesNotContain(token, logs);
        Assert.DoesNotContain(ApiFactory.Password, logs);
    }

    public async ValueTask DisposeAsync() => await _api.DisposeAsync();
}
