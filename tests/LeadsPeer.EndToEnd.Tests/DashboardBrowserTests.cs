using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Aspire.Hosting;
using Aspire.Hosting.Testing;
using LeadsPeer.ServiceDefaults;
using LeadsPeer.Testing;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace LeadsPeer.EndToEnd.Tests;

/// <summary>The dashboard in a real browser (Debian's Chromium), against the whole product.</summary>
[Collection(ProductCollection.Name)]
public sealed class DashboardBrowserTests(ProductFixture product)
{
    static DashboardBrowserTests() =>
        // Live updates cross processes (Api or Worker → Redis → Web → browser); on a busy 2-core
        // machine running every test at once they can take seconds, not milliseconds.
        SetDefaultExpectTimeout(20_000);

    private const string Password = "correct horse battery staple";
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task From_sign_up_and_an_upload_to_an_AI_answer_with_its_source_a_live_handoff_a_reply_and_resolve()
    {
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Browsers.LaunchChromiumAsync(playwright);
        var page = await browser.NewPageAsync();
        var web = product.App.GetEndpoint(ResourceNames.Web, "http");
        var email = $"owner-{Guid.NewGuid():N}@dashboard.example";
        var artefacts = Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "screenshots")).FullName;

        // An anonymous visitor lands on the sign-in page and creates the business's account.
        await page.GotoAsync(web.ToString());
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Sign in" })).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Create your business's account" }).ClickAsync();
        await page.GetByLabel("Business name").FillAsync("Dashboard Bakery");
        await page.GetByLabel("Your name").FillAsync("Dana");
        await page.GetByLabel("Email").FillAsync(email);
        await page.GetByLabel("Password (at least 10 characters)").FillAsync(Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Create account" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Inbox" })).ToBeVisibleAsync();
        await Expect(page.GetByTestId("inbox-empty")).ToContainTextAsync("Nobody is waiting for a person.");
        await page.WaitForFunctionAsync("() => window.Blazor !== undefined");
        await page.ScreenshotAsync(new() { Path = Path.Combine(artefacts, "inbox-empty.png"), FullPage = true });

        // Upload a document; it is indexed while the page watches.
        await page.GetByRole(AriaRole.Link, new() { Name = "Knowledge" }).ClickAsync();
        await Expect(page.GetByTestId("documents-empty")).ToBeVisibleAsync();
        await page.Locator("input[type=file]").SetInputFilesAsync(new FilePayload
        {
            Name = "bakery.md",
            MimeType = "text/markdown",
            Buffer = System.Text.Encoding.UTF8.GetBytes("# Dashboard Bakery\n\n## Sundays\n\nWe bake sourdough bread every Sunday morning from 7 to 12.\n"),
        });
        await Expect(page.GetByTestId("document").Filter(new() { HasText = "bakery.md" }).GetByTestId("indexed")).ToBeVisibleAsync(new() { Timeout = 30_000 });
        await page.ScreenshotAsync(new() { Path = Path.Combine(artefacts, "knowledge.png"), FullPage = true });

        // The same business, through the API: a sandbox number, and a customer asking what the document answers.
        using var api = product.App.CreateHttpClient(ResourceNames.Api);
        using var login = await api.PostAsJsonAsync("/api/auth/login", new { email, password = Password }, Ct);
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer",
            (await login.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("accessToken").GetString());
        using var created = await api.PostAsync("/api/whatsapp/connections/sandbox", null, Ct);
        var sandbox = (await created.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetGuid();
        await page.GetByRole(AriaRole.Link, new() { Name = "Inbox" }).ClickAsync();
        await page.GetByTestId("filter-Ai").ClickAsync();
        (await api.PostAsJsonAsync($"/api/sandbox/connections/{sandbox}/customer-messages",
            new { text = "Do you bake bread on Sundays?", name = "Grace Hopper" }, Ct)).EnsureSuccessStatusCode();

        // The AI's answer appears with its source.
        var row = page.GetByTestId("inbox-item").Filter(new() { HasText = "Grace Hopper" });
        await Expect(row).ToBeVisibleAsync(new() { Timeout = 20_000 });
        await row.ClickAsync();
        var answer = page.GetByTestId("message").Filter(new() { HasText = "every Sunday morning" });
        await Expect(answer).ToBeVisibleAsync(new() { Timeout = 20_000 });
        await Expect(answer.GetByTestId("sources")).ToContainTextAsync("bakery.md");

        // A second operator's browser waits on "Needs a human"; the customer asks for a person.
        var second = await (await browser.NewContextAsync()).NewPageAsync();
        await second.GotoAsync(web.ToString());
        await second.GetByLabel("Email").FillAsync(email);
        await second.GetByLabel("Password").FillAsync(Password);
        await second.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(second.GetByRole(AriaRole.Heading, new() { Name = "Inbox" })).ToBeVisibleAsync();
        await second.WaitForFunctionAsync("() => window.Blazor !== undefined");
        var clock = Stopwatch.StartNew();
        (await api.PostAsJsonAsync($"/api/sandbox/connections/{sandbox}/customer-messages",
            new { text = "I want to talk to a human please", name = "Grace Hopper" }, Ct)).EnsureSuccessStatusCode();
        var waiting = second.GetByTestId("inbox-item").Filter(new() { HasText = "Grace Hopper" });
        await Expect(waiting).ToBeVisibleAsync(new() { Timeout = 20_000 });
        var seenAfter = clock.Elapsed;
        await Expect(waiting.GetByTestId("waiting")).ToContainTextAsync("The customer asked for a person.");
        await Expect(page.GetByTestId("handoff")).ToContainTextAsync("The customer asked for a person.");
        await second.ScreenshotAsync(new() { Path = Path.Combine(artefacts, "inbox-needs-human.png"), FullPage = true });

        // Take over and reply; the customer's phone receives it; resolve.
        await page.GetByTestId("action-Claim").ClickAsync();
        await Expect(page.GetByTestId("conversation-state")).ToHaveTextAsync("Human");
        await page.Locator("textarea").First.FillAsync("Hi Grace, Dana here: how can I help?");
        await page.GetByTestId("send").ClickAsync();
        await Expect(page.GetByTestId("message-text").Filter(new() { HasText = "Dana here" })).ToBeVisibleAsync();
        await page.ScreenshotAsync(new() { Path = Path.Combine(artefacts, "conversation.png"), FullPage = true });
        var received = await EventuallyAsync(async () =>
        {
            var messages = await api.GetFromJsonAsync<JsonElement>($"/api/sandbox/connections/{sandbox}/customer-inbox", Ct);
            return messages.EnumerateArray().Select(m => m.GetProperty("text").GetString()).FirstOrDefault(t => t?.Contains("Dana here") == true);
        });
        Assert.Equal("Hi Grace, Dana here: how can I help?", received);

        // Status ticks of the reply arrive live while the operator clicks: a click that lands
        // during such a re-render is clicked again, as a person would.
        for (var attempt = 1; ; attempt++)
        {
            await page.GetByTestId("action-Resolve").ClickAsync();
            try
            {
                await Expect(page.GetByTestId("conversation-state")).ToHaveTextAsync("Resolved", new() { Timeout = 5_000 });
                break;
            }
            catch (PlaywrightException) when (attempt < 3)
            {
                TestContext.Current.SendDiagnosticMessage($"Resolve click {attempt} did not take; clicking again");
            }
        }

        await Expect(page.Locator("#blazor-error-ui")).ToBeHiddenAsync();
        await Expect(second.Locator("#blazor-error-ui")).ToBeHiddenAsync();
        TestContext.Current.SendDiagnosticMessage($"Customer message → visible in the second browser: {seenAfter.TotalMilliseconds:0} ms (includes the 2 s reply quiet time before the handoff)");
    }

    [Fact]
    public async Task The_shell_navigates_between_areas_once_signed_in()
    {
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Browsers.LaunchChromiumAsync(playwright);
        var page = await browser.NewPageAsync();
        var web = product.App.GetEndpoint(ResourceNames.Web, "http");
        var email = $"owner-{Guid.NewGuid():N}@shell.example";
        using var api = product.App.CreateHttpClient(ResourceNames.Api);
        (await api.PostAsJsonAsync("/api/onboarding/signup", new { organizationName = "Shell Shop", name = "Sol", email, password = Password }, Ct)).EnsureSuccessStatusCode();

        await page.GotoAsync(new Uri(web, "knowledge").ToString());
        await page.GetByLabel("Email").FillAsync(email);
        await page.GetByLabel("Password").FillAsync(Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();

        // Back where the visitor was going.
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Knowledge" })).ToBeVisibleAsync();
        await page.WaitForFunctionAsync("() => window.Blazor !== undefined");
        await page.GetByRole(AriaRole.Link, new() { Name = "Activity" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Activity" })).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Inbox" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Inbox" })).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Sign in" })).ToBeVisibleAsync();
        await Expect(page.Locator("#blazor-error-ui")).ToBeHiddenAsync();
    }

    private static async Task<T> EventuallyAsync<T>(Func<Task<T?>> probe) where T : class
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            if (await probe() is { } value)
            {
                return value;
            }

            Assert.True(DateTime.UtcNow < deadline, "Not within 20 s");
            await Task.Delay(250, Ct);
        }
    }
}
