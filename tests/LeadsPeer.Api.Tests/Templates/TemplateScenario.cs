using System.Net.Http.Json;
using System.Text.Json;
using LeadsPeer.Testing;

namespace LeadsPeer.Api.Tests.Templates;

/// <summary>The steps template tests share: a sandbox number, a template submitted and reviewed, an operator.</summary>
internal static class TemplateScenario
{
    public static async Task<Guid> SandboxAsync(HttpClient owner, CancellationToken ct)
    {
        using var sandbox = await owner.PostAsync("/api/whatsapp/connections/sandbox", null, ct);
        sandbox.EnsureSuccessStatusCode();
        return (await sandbox.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("id").GetGuid();
    }

    /// <summary>
    /// Submits "Hi {{1}}, your order {{2}} is ready for pickup." with a quick reply, under
    /// <paramref name="name"/>; or <paramref name="body"/> (its examples) with <paramref name="quickReplies"/>.
    /// </summary>
    public static Task<HttpResponseMessage> CreateAsync(HttpClient client, Guid connection, string name, string category, CancellationToken ct,
        string? body = null, Dictionary<string, string>? examples = null, string[]? quickReplies = null) =>
        client.PostAsJsonAsync($"/api/whatsapp/connections/{connection}/templates", new
        {
            name,
            language = "en_US",
            category,
            header = "Garden Bakes",
            body = body ?? "Hi {{1}}, your order {{2}} is ready for pickup.",
            footer = "Reply STOP to opt out",
            buttons = (quickReplies ?? ["On my way"]).Select(text => new { type = "QUICK_REPLY", text }).ToArray(),
            examples = examples ?? new Dictionary<string, string> { ["1"] = "Sam", ["2"] = "GB-1042" },
        }, ct);

    public static async Task<JsonElement> WaitForStatusAsync(HttpClient client, Guid connection, string name, string status, CancellationToken ct)
    {
        JsonElement found = default;
        await Eventually.TrueAsync(async () =>
        {
            var list = await client.GetFromJsonAsync<JsonElement>($"/api/whatsapp/connections/{connection}/templates", ct);
            found = list.EnumerateArray().FirstOrDefault(t => t.GetProperty("name").GetString() == name);
            return found.ValueKind == JsonValueKind.Object && found.GetProperty("status").GetString() == status;
        }, $"template {name} {status}");
        return found;
    }

    /// <summary>Submits a template and lets the simulated review approve it.</summary>
    public static async Task ApprovedAsync(ApiFactory api, HttpClient owner, Guid connection, string name, string category, CancellationToken ct,
        string? body = null, Dictionary<string, string>? examples = null, string[]? quickReplies = null)
    {
        (await CreateAsync(owner, connection, name, category, ct, body, examples, quickReplies)).EnsureSuccessStatusCode();
        api.Clock.Advance(TimeSpan.FromSeconds(3));
        await WaitForStatusAsync(owner, connection, name, "Approved", ct);
    }

    public static async Task<HttpClient> OperatorAsync(ApiFactory api, HttpClient owner, string email, CancellationToken ct)
    {
        (await owner.PostAsJsonAsync("/api/team/invitations", new { email, role = "Operator" }, ct)).EnsureSuccessStatusCode();
        using (var anonymous = api.CreateClient())
        {
            (await anonymous.PostAsJsonAsync($"/api/team/invitations/{api.InvitationTokenSentTo(email)}/accept",
                new { name = "Olive", password = ApiFactory.Password }, ct)).EnsureSuccessStatusCode();
        }

        return await api.SignInAsync(email, ApiFactory.Password);
    }
}
