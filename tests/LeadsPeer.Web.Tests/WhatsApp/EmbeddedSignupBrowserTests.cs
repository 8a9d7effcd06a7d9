using System.Net;
using LeadsPeer.Testing;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace LeadsPeer.Web.Tests.WhatsApp;

/// <summary>
/// The WhatsApp page's Embedded Signup in Chromium, with Facebook's side played by the test: the
/// SDK script and Meta's dialog are answered by Playwright (the dialog's window message comes
/// from a facebook.com frame, as Meta's does), and the Graph API by its stub. Everything between
/// — the page's script, the Web asking the Api (the one host with Meta's app secret: the Web is
/// started without it), the code exchange, the checks, the subscription and the registration —
/// is the product's.
/// </summary>
public sealed class EmbeddedSignupBrowserTests(TestStores stores)
{
    private const string WabaId = "102290129340400";
    private const string PhoneNumberId = "106540352242940";

    [Fact]
    public async Task Connect_with_Meta_exchanges_the_code_and_shows_the_connected_number_and_a_closed_dialog_connects_nothing()
    {
        await using var graph = await GraphApiStub.StartAsync();
        graph.TargetIds.Add(WabaId);
        graph.PhoneNumbers[WabaId] = [(PhoneNumberId, "+1 555 0100", "Harbour Hats")];
        var code = graph.IssueCode("EAAG-embedded-signup-token");
        var database = await stores.CreateMigratedDatabaseAsync();
        await using var api = HostProcess.Start("LeadsPeer.Api", "Development", new Dictionary<string, string>
        {
            ["ConnectionStrings__leadspeer"] = database,
            ["ConnectionStrings__redis"] = stores.Redis.ConnectionString,
            ["WhatsApp__AppId"] = GraphApiStub.AppId,
            ["WhatsApp__ConfigId"] = "embedded-signup-configuration",
            ["WhatsApp__AppSecret"] = GraphApiStub.AppSecret,
            ["WhatsApp__GraphApiBaseUrl"] = graph.BaseUrl.ToString(),
            ["WhatsApp__GraphApiVersion"] = GraphApiStub.Version,
        });
        await using var web = HostProcess.Start("LeadsPeer.Web", "Development", new Dictionary<string, string>
        {
            ["ConnectionStrings__leadspeer"] = database,
            ["ConnectionStrings__redis"] = stores.Redis.ConnectionString,
            ["Api__BaseUrl"] = api.Address.ToString(),
            ["WhatsApp__GraphApiBaseUrl"] = graph.BaseUrl.ToString(),
            ["WhatsApp__GraphApiVersion"] = GraphApiStub.Version,
        });
        await api.WaitForStatusAsync("/health", HttpStatusCode.OK, TimeSpan.FromSeconds(60));
        await web.WaitForStatusAsync("/health", HttpStatusCode.OK, TimeSpan.FromSeconds(60));

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Browsers.LaunchChromiumAsync(playwright);
        var page = await browser.NewPageAsync();
        var dialogAnswers = new Queue<string?>([code, null]); // the first sign-up finishes, the second is closed
        await page.RouteAsync("https://connect.facebook.net/**", route => route.FulfillAsync(new()
        {
            ContentType = "text/javascript",
            Body = """
                window.FB = {
                  init(options) { window.__fbInit = options; },
                  login(callback, options) {
                    window.__fbLogin = options;
                    window.__fbAnswer(callback);
                  },
                };
                window.fbAsyncInit();
                """,
        }));
        await page.ExposeFunctionAsync("__nextAnswer", () => dialogAnswers.Dequeue());
        await page.AddInitScriptAsync("""
            window.__fbAnswer = async callback => {
              const code = await window.__nextAnswer();
              if (code) {
                // A look-alike origin claims another account and number, after Meta's answer (the last word would win): the page must not listen to it.
                const forged = document.createElement("iframe");
                forged.src = "https://evilfacebook.com/embedded-signup-finished";
                document.body.appendChild(forged);
                // Meta's dialog tells the page which account and number were chosen, from facebook.com.
                const frame = document.createElement("iframe");
                frame.src = "https://www.facebook.com/embedded-signup-finished";
                document.body.appendChild(frame);
              }
              setTimeout(() => callback(code ? { authResponse: { code } } : { authResponse: null, status: "unknown" }), 300);
            };
            """);
        await page.RouteAsync("https://evilfacebook.com/**", route => route.FulfillAsync(new()
        {
            ContentType = "text/html",
            Body = """
                <script>setTimeout(() => parent.postMessage(JSON.stringify({ type: "WA_EMBEDDED_SIGNUP", event: "FINISH", data: { phone_number_id: "999999999999999", waba_id: "888888888888888" } }), "*"), 150);</script>
                """,
        }));
        await page.RouteAsync("https://www.facebook.com/**", route => route.FulfillAsync(new()
        {
            ContentType = "text/html",
            Body = $$"""
                <script>parent.postMessage(JSON.stringify({ type: "WA_EMBEDDED_SIGNUP", event: "FINISH", data: { phone_number_id: "{{PhoneNumberId}}", waba_id: "{{WabaId}}" } }), "*");</script>
                """,
        }));

        await page.GotoAsync(new Uri(web.Address, "account/signup").ToString());
        await page.GetByLabel("Business name").FillAsync("Harbour Hats");
        await page.GetByLabel("Your name").FillAsync("Hana");
        await page.GetByLabel("Email").FillAsync($"hana-{Guid.NewGuid():N}@harbour.example");
        await page.GetByLabel("Password (at least 10 characters)").FillAsync("correct horse battery staple");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create account" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Inbox" })).ToBeVisibleAsync();
        await page.GotoAsync(new Uri(web.Address, "whatsapp").ToString());
        await page.Locator("[data-testid=shell][data-interactive=true]").WaitForAsync();

        await page.GetByTestId("embedded-signup").ClickAsync();
        await Expect(page.GetByTestId("connection-number")).ToHaveTextAsync("+1 555 0100", new() { Timeout = 20_000 });
        await Expect(page.GetByText("+1 555 0100 is connected")).ToBeVisibleAsync();
        var login = await page.EvaluateAsync<Dictionary<string, object>>("() => ({ config: window.__fbLogin.config_id, type: window.__fbLogin.response_type, app: window.__fbInit.appId })");

        await page.GetByTestId("embedded-signup").ClickAsync();
        await Expect(page.GetByText("closed before it finished")).ToBeVisibleAsync();

        Assert.Equal("embedded-signup-configuration", login["config"]?.ToString());
        Assert.Equal("code", login["type"]?.ToString());
        Assert.Equal(GraphApiStub.AppId, login["app"]?.ToString());
        Assert.Equal(["exchange", "debug_token", $"phone_numbers:{WabaId}"], graph.Calls.Take(3));
        Assert.Contains(graph.Calls, c => c.StartsWith("subscribe", StringComparison.Ordinal));
        Assert.Contains(graph.Calls, c => c.StartsWith("register", StringComparison.Ordinal));
        Assert.Single(await page.GetByTestId("connection").AllAsync());

        // An action of the dashboard itself is audited with the address it came from, as the Api's are.
        await page.GetByTestId("create-sandbox").ClickAsync();
        await Expect(page.GetByTestId("connection")).ToHaveCountAsync(2);
        var audit = new Db(database);
        Assert.Equal(["127.0.0.1"], (await audit.RowsAsync("SELECT ip_address FROM audit_entries WHERE action = 'connection.create-sandbox'")).Select(r => r[0]));
        Assert.Equal(["127.0.0.1"], (await audit.RowsAsync("SELECT ip_address FROM audit_entries WHERE action = 'connection.connect'")).Select(r => r[0]));
        await Expect(page.Locator("#blazor-error-ui")).ToBeHiddenAsync();
    }
}
