using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Aspire.Hosting.Testing;
using LeadsPeer.ServiceDefaults;
using LeadsPeer.Testing;

namespace LeadsPeer.EndToEnd.Tests;

/// <summary>The whole product with a sandbox number: no Meta account, every real path.</summary>
[Collection(ProductCollection.Name)]
public sealed class SandboxConversationTests(ProductFixture product)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_simulated_customer_is_answered_through_the_webhook_the_Worker_the_sender_and_the_status_webhooks()
    {
        using var api = product.App.CreateHttpClient(ResourceNames.Api);
        var email = $"owner-{Guid.NewGuid():N}@sandbox.example";
        (await api.PostAsJsonAsync("/api/onboarding/signup",
            new { organizationName = "Sandbox Bakery", name = "Sam", email, password = "correct horse battery staple" }, Ct)).EnsureSuccessStatusCode();
        using var login = await api.PostAsJsonAsync("/api/auth/login", new { email, password = "correct horse battery staple" }, Ct);
        var token = (await login.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("accessToken").GetString();
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var created = await api.PostAsync("/api/whatsapp/connections/sandbox", null, Ct);
        var sandbox = (await created.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetGuid();

        // The business's knowledge: one FAQ entry, indexed by the Worker.
        using var faq = await api.PostAsJsonAsync("/api/knowledge/faqs",
            new { question = "Do you bake on Sundays?", answer = "Yes, we bake fresh bread every Sunday from 7 to 12." }, Ct);
        Assert.Equal(HttpStatusCode.Created, faq.StatusCode);
        await EventuallyAsync(async () =>
        {
            var faqs = await api.GetFromJsonAsync<JsonElement>("/api/knowledge/faqs", Ct);
            return faqs.GetProperty("items")[0].GetProperty("state").GetString() == "Indexed" ? "indexed" : null;
        }, "the FAQ entry is indexed");

        using var sent = await api.PostAsJsonAsync($"/api/sandbox/connections/{sandbox}/customer-messages", new { text = "Do you bake on Sundays?" }, Ct);
        Assert.Equal(HttpStatusCode.Accepted, sent.StatusCode);

        var reply = await EventuallyAsync(async () =>
        {
            var inbox = await api.GetFromJsonAsync<JsonElement>($"/api/sandbox/connections/{sandbox}/customer-inbox", Ct);
            return inbox.GetArrayLength() > 0 ? inbox[0].GetProperty("text").GetString() : null;
        }, "the customer receives the reply");
        Assert.Contains("every Sunday from 7 to 12", reply);

        // The simulator reports sent, delivered and read through signed webhooks; the reply ends read.
        var db = new Db(await product.App.GetConnectionStringAsync(ResourceNames.Database, Ct) ?? "");
        var status = await EventuallyAsync(async () =>
        {
            var value = await db.ScalarAsync<string>(
                "SELECT m.status FROM messages m JOIN whats_app_connections c ON c.tenant_id = m.tenant_id WHERE c.id = $1 AND m.direction = 'Outbound'", sandbox);
            return value == "Read" ? value : null;
        }, "the reply's status reaches read");
        Assert.Equal("Read", status);
    }

    [Fact]
    public async Task An_operator_sends_a_list_the_customer_taps_a_row_and_the_thread_links_the_tap_to_the_list()
    {
        using var api = product.App.CreateHttpClient(ResourceNames.Api);
        var email = $"owner-{Guid.NewGuid():N}@sandbox.example";
        (await api.PostAsJsonAsync("/api/onboarding/signup",
            new { organizationName = "Tap Bakery", name = "Tia", email, password = "correct horse battery staple" }, Ct)).EnsureSuccessStatusCode();
        using var login = await api.PostAsJsonAsync("/api/auth/login", new { email, password = "correct horse battery staple" }, Ct);
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer",
            (await login.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("accessToken").GetString());
        using var created = await api.PostAsync("/api/whatsapp/connections/sandbox", null, Ct);
        var sandbox = (await created.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetGuid();
        (await api.PostAsJsonAsync($"/api/sandbox/connections/{sandbox}/customer-messages", new { text = "Which cakes do you have?" }, Ct)).EnsureSuccessStatusCode();
        var conversation = await EventuallyAsync(async () =>
        {
            var inbox = await api.GetFromJsonAsync<JsonElement>("/api/conversations", Ct);
            return inbox.GetProperty("items").GetArrayLength() > 0 ? inbox.GetProperty("items")[0].GetProperty("id").GetString() : null;
        }, "the conversation is in the inbox");
        (await api.PostAsync($"/api/conversations/{conversation}/claim?takeOver=true", null, Ct)).EnsureSuccessStatusCode();

        using var sent = await api.PostAsJsonAsync($"/api/conversations/{conversation}/messages", new
        {
            interactive = new
            {
                type = "list", body = "Pick a cake", button = "Cakes",
                sections = new[] { new { title = "Chocolate", rows = new[] { new { id = "fudge-1kg", title = "Chocolate fudge 1 kg" } } } },
            },
        }, Ct);
        Assert.Equal(HttpStatusCode.Accepted, sent.StatusCode);
        var list = (await sent.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetGuid();
        await EventuallyAsync(async () =>
        {
            var inbox = await api.GetFromJsonAsync<JsonElement>($"/api/sandbox/connections/{sandbox}/customer-inbox", Ct);
            return inbox.EnumerateArray().Any(m => m.TryGetProperty("choices", out var c) && c.ValueKind == JsonValueKind.Array) ? "offered" : null;
        }, "the customer's phone shows the list");

        using var tapped = await api.PostAsJsonAsync($"/api/sandbox/connections/{sandbox}/customer-messages", new { replyId = "fudge-1kg" }, Ct);
        Assert.Equal(HttpStatusCode.Accepted, tapped.StatusCode);

        var tap = await EventuallyAsync(async () =>
        {
            // Found wherever it sorts: Meta's timestamps are whole seconds, so a tap can share the list's second.
            // Linked once both are stored: the list's wamid is recorded when Graph's answer is, and
            // the phone can show the list (and the tap arrive) a moment before that.
            var thread = await api.GetFromJsonAsync<JsonElement>($"/api/conversations/{conversation}/messages", Ct);
            return thread.GetProperty("items").EnumerateArray()
                .Select(m => m.TryGetProperty("tapped", out var t) && t.ValueKind == JsonValueKind.Object
                             && t.GetProperty("answersMessageId").ValueKind == JsonValueKind.String ? t.GetRawText() : null)
                .FirstOrDefault(t => t is not null);
        }, "the tap is in the thread, linked to the list");
        var choice = JsonDocument.Parse(tap).RootElement;
        Assert.Equal(("fudge-1kg", "Chocolate fudge 1 kg", list),
            (choice.GetProperty("id").GetString(), choice.GetProperty("title").GetString(), choice.GetProperty("answersMessageId").GetGuid()));
    }

    private static async Task<T> EventuallyAsync<T>(Func<Task<T?>> probe, string what) where T : class
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            if (await probe() is { } value)
            {
                return value;
            }

            Assert.True(DateTime.UtcNow < deadline, $"Not within 60 s: {what}");
            await Task.Delay(250, Ct);
        }
    }
}
