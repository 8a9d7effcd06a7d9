using System.Diagnostics;
using System.Text.RegularExpressions;
using System.Net.Http.Json;
using Aspire.Hosting;
using Aspire.Hosting.Testing;
using LeadsPeer.ServiceDefaults;
using LeadsPeer.Testing;
using Microsoft.Playwright;
using static LeadsPeer.EndToEnd.Tests.BrowserSteps;
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
        // The owner's session: the dashboard in one tab, the sandbox customer's phone in another.
        var owner = await browser.NewContextAsync();
        var page = await owner.NewPageAsync();
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
        await InteractiveAsync(page);
        await Expect(page.GetByTestId("organization")).ToHaveTextAsync("Dashboard Bakery");
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

        // The owner invites an operator from the Team page; the operator joins through the emailed
        // link in a browser of their own and waits on "Needs a human".
        var operatorEmail = $"operator-{Guid.NewGuid():N}@dashboard.example";
        await page.GetByRole(AriaRole.Link, new() { Name = "Team" }).ClickAsync();
        await page.GetByTestId("invite-email").FillAsync(operatorEmail);
        await page.GetByTestId("invite").ClickAsync();
        await Expect(page.GetByTestId("invitation").Filter(new() { HasText = operatorEmail }).GetByTestId("invitation-state")).ToHaveTextAsync("Pending");
        var second = await (await browser.NewContextAsync()).NewPageAsync();
        await second.GotoAsync(new Uri(web, await InvitationLinkSentToAsync(operatorEmail)).ToString());
        await Expect(second.GetByTestId("invitation")).ToContainTextAsync("Dashboard Bakery");
        await second.GetByLabel("Your name").FillAsync("Oli");
        await second.GetByLabel("Password (at least 10 characters)").FillAsync(Password);
        await second.GetByRole(AriaRole.Button, new() { Name = "Create account and join" }).ClickAsync();
        await Expect(second.GetByRole(AriaRole.Heading, new() { Name = "Inbox" })).ToBeVisibleAsync();
        await Expect(second.GetByTestId("who")).ToContainTextAsync("Operator");
        await InteractiveAsync(second);

        // A sandbox number, and its customer phone in another tab of the same session.
        await page.GetByRole(AriaRole.Link, new() { Name = "WhatsApp" }).ClickAsync();
        await Expect(page.GetByTestId("connections-empty")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("embedded-signup-unavailable")).ToBeVisibleAsync();
        await page.GetByTestId("create-sandbox").ClickAsync();
        await Expect(page.GetByTestId("connection-status")).ToHaveTextAsync("Active");
        var phone = await owner.NewPageAsync();
        await phone.GotoAsync(new Uri(web, "whatsapp").ToString());
        await Expect(phone.GetByTestId("phone-empty")).ToBeVisibleAsync();
        await InteractiveAsync(phone);
        await phone.ScreenshotAsync(new() { Path = Path.Combine(artefacts, "whatsapp-sandbox.png"), FullPage = true });

        // As the customer, ask what the document answers: the phone gets the AI's answer, and the
        // dashboard shows it with its source.
        await page.GetByRole(AriaRole.Link, new() { Name = "Inbox" }).ClickAsync();
        await page.GetByTestId("filter-Ai").ClickAsync();
        await SendAsCustomerAsync(phone, "Do you bake bread on Sundays?");
        await Expect(BusinessMessage(phone, "every Sunday morning")).ToBeVisibleAsync(new() { Timeout = 30_000 });
        var row = page.GetByTestId("inbox-item").Filter(new() { HasText = "Sandbox customer" });
        await Expect(row).ToBeVisibleAsync();
        await row.ClickAsync();
        var answer = page.GetByTestId("message").Filter(new() { HasText = "every Sunday morning" });
        await Expect(answer).ToBeVisibleAsync();
        await Expect(answer.GetByTestId("sources")).ToContainTextAsync("bakery.md");

        // The customer asks for a person: the operator's inbox shows it live.
        var clock = Stopwatch.StartNew();
        await SendAsCustomerAsync(phone, "I want to talk to a human please");
        var waiting = second.GetByTestId("inbox-item").Filter(new() { HasText = "Sandbox customer" });
        await Expect(waiting).ToBeVisibleAsync();
        var seenAfter = clock.Elapsed;
        await Expect(waiting.GetByTestId("waiting")).ToContainTextAsync("The customer asked for a person.");
        await Expect(page.GetByTestId("handoff")).ToContainTextAsync("The customer asked for a person.");
        // The tab shows how many customers wait for a person.
        await Expect(second).ToHaveTitleAsync(new Regex(@"^\(1\) "));
        await second.ScreenshotAsync(new() { Path = Path.Combine(artefacts, "inbox-needs-human.png"), FullPage = true });

        // Take over and reply; the customer's phone receives it; resolve.
        await page.GetByTestId("action-Claim").ClickAsync();
        await Expect(page.GetByTestId("conversation-state")).ToHaveTextAsync("Human");
        await Expect(second).ToHaveTitleAsync(new Regex(@"^[^(]"));
        await page.Locator("textarea").First.FillAsync("Hi, Dana here: how can I help?");
        await page.GetByTestId("send").ClickAsync();
        await Expect(page.GetByTestId("message-text").Filter(new() { HasText = "Dana here" })).ToBeVisibleAsync();
        await page.ScreenshotAsync(new() { Path = Path.Combine(artefacts, "conversation.png"), FullPage = true });
        await Expect(BusinessMessage(phone, "Hi, Dana here: how can I help?")).ToBeVisibleAsync();
        await phone.ScreenshotAsync(new() { Path = Path.Combine(artefacts, "customer-phone.png"), FullPage = true });

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
        await Expect(phone.Locator("#blazor-error-ui")).ToBeHiddenAsync();
        TestContext.Current.SendDiagnosticMessage($"Customer message → visible in the second browser: {seenAfter.TotalMilliseconds:0} ms (includes the 2 s reply quiet time before the handoff)");
    }

    [Fact]
    public async Task The_operator_sends_a_list_from_the_composer_the_customer_taps_a_row_on_the_phone_and_the_thread_shows_the_tap()
    {
        var web = product.App.GetEndpoint(ResourceNames.Web, "http");
        var email = $"owner-{Guid.NewGuid():N}@taps.example";
        using var api = product.App.CreateHttpClient(ResourceNames.Api);
        (await api.PostAsJsonAsync("/api/onboarding/signup", new { organizationName = "Tap Cakes", name = "Tam", email, password = Password }, Ct)).EnsureSuccessStatusCode();
        using var login = await api.PostAsJsonAsync("/api/auth/login", new { email, password = Password }, Ct);
        api.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer",
            (await login.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>(Ct)).GetProperty("accessToken").GetString());
        using var created = await api.PostAsync("/api/whatsapp/connections/sandbox", null, Ct);
        var sandbox = (await created.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>(Ct)).GetProperty("id").GetGuid();

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Browsers.LaunchChromiumAsync(playwright);
        var session = await browser.NewContextAsync();
        var phone = await session.NewPageAsync();
        await phone.GotoAsync(new Uri(web, "whatsapp").ToString());
        await phone.GetByLabel("Email").FillAsync(email);
        await phone.GetByLabel("Password").FillAsync(Password);
        await phone.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await InteractiveAsync(phone);
        await SendAsCustomerAsync(phone, "Which cakes do you have?");
        await Expect(BusinessMessage(phone, "a member of our team")).ToBeVisibleAsync(new() { Timeout = 30_000 });

        // The operator takes the conversation and answers with a list from the composer.
        var conversation = (await api.GetFromJsonAsync<System.Text.Json.JsonElement>("/api/conversations", Ct)).GetProperty("items")[0].GetProperty("id").GetGuid();
        var dashboard = await session.NewPageAsync();
        await dashboard.GotoAsync(new Uri(web, $"conversations/{conversation}").ToString());
        await InteractiveAsync(dashboard);
        await dashboard.GetByTestId("action-Claim").ClickAsync();
        await Expect(dashboard.GetByTestId("conversation-state")).ToHaveTextAsync("Human");
        await dashboard.GetByTestId("composer-choices-toggle").ClickAsync();
        await dashboard.GetByText("List (up to 10)").ClickAsync();
        await dashboard.GetByTestId("composer-list-button").FillAsync("Cakes");
        await dashboard.GetByTestId("composer-options").FillAsync("Chocolate fudge 1 kg\nChocolate fudge 2 kg");
        await dashboard.Locator("textarea").First.FillAsync("Pick a cake");
        await dashboard.GetByTestId("send").ClickAsync();
        await Expect(dashboard.GetByTestId("choices")).ToContainTextAsync("Chocolate fudge 2 kg");

        // The customer opens the list (its rows are behind its button, as on WhatsApp) and taps a row; the operator's thread shows it live.
        var list = phone.GetByTestId("phone-list").Filter(new() { HasText = "Cakes" });
        await Expect(list).ToBeVisibleAsync(new() { Timeout = 30_000 });
        await Expect(phone.GetByTestId("phone-choice")).ToHaveCountAsync(0);
        await list.ClickAsync();
        var row = phone.GetByTestId("phone-choice").Filter(new() { HasText = "Chocolate fudge 1 kg" });
        await Expect(row).ToBeVisibleAsync(new() { Timeout = 30_000 });
        await row.ClickAsync();
        await Expect(phone.Locator("[data-testid=phone-message][data-from=customer]").Filter(new() { HasText = "Chocolate fudge 1 kg" })).ToBeVisibleAsync();
        await Expect(dashboard.GetByTestId("tapped")).ToHaveTextAsync("tapped: Chocolate fudge 1 kg", new() { Timeout = 30_000 });
        var thread = await api.GetFromJsonAsync<System.Text.Json.JsonElement>($"/api/conversations/{conversation}/messages", Ct);
        var taps = thread.GetProperty("items").EnumerateArray()
            .Where(m => m.TryGetProperty("tapped", out var t) && t.ValueKind == System.Text.Json.JsonValueKind.Object).ToList();
        // The composer's row ids are the choice's position and words.
        Assert.Equal("1-chocolate-fudge-1-kg", Assert.Single(taps).GetProperty("tapped").GetProperty("id").GetString());
        await Expect(phone.Locator("#blazor-error-ui")).ToBeHiddenAsync();
        await Expect(dashboard.Locator("#blazor-error-ui")).ToBeHiddenAsync();
        await dashboard.ScreenshotAsync(new() { Path = Path.Combine(Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "screenshots")).FullName, "conversation-tap.png"), FullPage = true });
    }

    [Fact]
    public async Task A_template_is_created_approved_live_and_sent_from_the_composer_once_the_window_has_closed()
    {
        var web = product.App.GetEndpoint(ResourceNames.Web, "http");
        var email = $"owner-{Guid.NewGuid():N}@templates.example";
        var name = $"order_ready_{Guid.NewGuid():N}"[..24];
        using var api = product.App.CreateHttpClient(ResourceNames.Api);
        (await api.PostAsJsonAsync("/api/onboarding/signup", new { organizationName = "Template Cakes", name = "Tia", email, password = Password }, Ct)).EnsureSuccessStatusCode();
        using var login = await api.PostAsJsonAsync("/api/auth/login", new { email, password = Password }, Ct);
        api.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer",
            (await login.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>(Ct)).GetProperty("accessToken").GetString());
        using var created = await api.PostAsync("/api/whatsapp/connections/sandbox", null, Ct);
        var sandbox = (await created.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>(Ct)).GetProperty("id").GetGuid();

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Browsers.LaunchChromiumAsync(playwright);
        var session = await browser.NewContextAsync();
        var page = await session.NewPageAsync();
        await page.GotoAsync(new Uri(web, "templates").ToString());
        await page.GetByLabel("Email").FillAsync(email);
        await page.GetByLabel("Password").FillAsync(Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await InteractiveAsync(page);

        // The owner writes the template; the preview fills in the example; Meta's (simulated) review approves it live.
        await page.GetByTestId("template-name").FillAsync(name);
        await page.GetByTestId("template-body").FillAsync("Hi {{1}}, your cake is ready for pickup.");
        await page.GetByTestId("template-example").FillAsync("Sam");
        await Expect(page.GetByTestId("template-preview")).ToContainTextAsync("Hi Sam, your cake is ready for pickup.");
        await page.GetByTestId("template-submit").ClickAsync();
        var row = page.Locator("tr").Filter(new() { HasText = name });
        await Expect(row.GetByTestId("template-status")).ToHaveTextAsync("Approved", new() { Timeout = 30_000 });

        // A customer writes; the sandbox window is shortened so it closes in seconds.
        (await api.PostAsJsonAsync($"/api/sandbox/connections/{sandbox}/customer-messages", new { text = "Is my cake done?" }, Ct)).EnsureSuccessStatusCode();
        (await api.PutAsJsonAsync($"/api/sandbox/connections/{sandbox}/service-window", new { seconds = 10 }, Ct)).EnsureSuccessStatusCode();
        var conversation = (await api.GetFromJsonAsync<System.Text.Json.JsonElement>("/api/conversations", Ct)).GetProperty("items")[0].GetProperty("id").GetGuid();

        await page.GotoAsync(new Uri(web, $"conversations/{conversation}").ToString());
        await InteractiveAsync(page);
        await Expect(page.GetByTestId("window-closed")).ToBeVisibleAsync(new() { Timeout = 30_000 });
        await page.GetByTestId("template-parameter").FillAsync("Sam");
        await Expect(page.GetByTestId("template-picker").GetByTestId("template-preview")).ToContainTextAsync("Hi Sam, your cake is ready for pickup.");
        await page.GetByTestId("send-template").ClickAsync();

        // The thread shows it as the customer saw it; the operator took the conversation; the customer's phone has it.
        await Expect(page.GetByTestId("message").Filter(new() { Has = page.GetByTestId("template-label") })).ToContainTextAsync("Hi Sam, your cake is ready for pickup.");
        await Expect(page.GetByTestId("conversation-state")).ToHaveTextAsync("Human");
        var phone = await session.NewPageAsync();
        await phone.GotoAsync(new Uri(web, "whatsapp").ToString());
        await InteractiveAsync(phone);
        await Expect(BusinessMessage(phone, "Hi Sam, your cake is ready for pickup.")).ToBeVisibleAsync(new() { Timeout = 30_000 });
        var inbox = await api.GetFromJsonAsync<System.Text.Json.JsonElement>($"/api/sandbox/connections/{sandbox}/customer-inbox", Ct);
        var template = inbox.EnumerateArray().Single(m => m.GetProperty("type").GetString() == "template");
        Assert.Equal(name, template.GetProperty("template").GetProperty("name").GetString());
        await Expect(page.Locator("#blazor-error-ui")).ToBeHiddenAsync();
        await page.ScreenshotAsync(new() { Path = Path.Combine(Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "screenshots")).FullName, "conversation-template.png"), FullPage = true });
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
        await InteractiveAsync(page);
        await page.GetByRole(AriaRole.Link, new() { Name = "Activity" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Activity" })).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Team" }).ClickAsync();
        await Expect(page.GetByTestId("member")).ToContainTextAsync("Sol (you)");
        await Expect(page.GetByTestId("invitations-empty")).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Inbox" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Inbox" })).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Sign in" })).ToBeVisibleAsync();
        await Expect(page.Locator("#blazor-error-ui")).ToBeHiddenAsync();
    }

    [Fact]
    public async Task Every_area_fits_a_phone_390_px_wide()
    {
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Browsers.LaunchChromiumAsync(playwright);
        var page = await browser.NewPageAsync(new() { ViewportSize = new() { Width = 390, Height = 844 } });
        var web = product.App.GetEndpoint(ResourceNames.Web, "http");
        var email = $"owner-{Guid.NewGuid():N}@phone.example";
        var artefacts = Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "screenshots")).FullName;
        using var api = product.App.CreateHttpClient(ResourceNames.Api);
        (await api.PostAsJsonAsync("/api/onboarding/signup", new { organizationName = "Pocket Shop", name = "Pia", email, password = Password }, Ct)).EnsureSuccessStatusCode();
        await page.GotoAsync(web.ToString());
        await page.GetByLabel("Email").FillAsync(email);
        await page.GetByLabel("Password").FillAsync(Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Inbox" })).ToBeVisibleAsync();

        foreach (var (path, heading) in new[] { ("", "Inbox"), ("knowledge", "Knowledge"), ("agent", "Agent"), ("whatsapp", "WhatsApp"), ("team", "Team"), ("activity", "Activity") })
        {
            await page.GotoAsync(new Uri(web, path).ToString());
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = heading, Exact = true })).ToBeVisibleAsync();
            await InteractiveAsync(page);
            await page.ScreenshotAsync(new() { Path = Path.Combine(artefacts, $"phone-{heading.ToLowerInvariant()}.png") });
            // Nothing wider than the screen: no sideways scrolling on a phone.
            var overflow = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - window.innerWidth");
            Assert.True(overflow <= 0, $"{heading} is {overflow} px wider than a 390 px screen");
        }

        await Expect(page.Locator("#blazor-error-ui")).ToBeHiddenAsync();
    }

    /// <summary>
    /// The invitation link in the email to <paramref name="address"/>: in development the product
    /// writes its emails as .eml files to the repository's <c>.mail</c> folder.
    /// </summary>
    private static async Task<string> InvitationLinkSentToAsync(string address)
    {
        var folder = Path.Combine(RepositoryRoot.Path, ".mail");
        for (var deadline = DateTime.UtcNow.AddSeconds(20); ; await Task.Delay(250, Ct))
        {
            var email = Directory.Exists(folder)
                ? Directory.GetFiles(folder, "*.eml").Select(File.ReadAllText).FirstOrDefault(m => m.Contains(address, StringComparison.OrdinalIgnoreCase))
                : null;
            if (email is not null)
            {
                // Quoted-printable soft line breaks undone before reading the link.
                var link = Regex.Match(email.Replace("=\r\n", "").Replace("=\n", ""), "/(invitations/[A-Za-z0-9_-]{20,})");
                Assert.True(link.Success, "The invitation email holds no link");
                return link.Groups[1].Value;
            }

            Assert.True(DateTime.UtcNow < deadline, $"No invitation email within 20 s in {folder}");
        }
    }
}
