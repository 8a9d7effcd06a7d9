using System.Net;
using LeadsPeer.Testing;

namespace LeadsPeer.Web.Tests;

/// <summary>The Web as its own process, configured by nothing but what the test gives it.</summary>
public sealed class WebHostTests(TestStores stores)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Starts_alone_in_development_with_only_the_two_connection_strings_and_serves_the_dashboard_shell()
    {
        await using var web = HostProcess.Start("LeadsPeer.Web", "Development", new Dictionary<string, string>
        {
            ["ConnectionStrings__leadspeer"] = await stores.CreateMigratedDatabaseAsync(),
            ["ConnectionStrings__redis"] = stores.Redis.ConnectionString,
        });

        var health = await web.WaitForStatusAsync("/health", HttpStatusCode.OK, Timeout);
        var home = await web.WaitForStatusAsync("/", HttpStatusCode.OK, Timeout);

        Assert.Contains("\"status\":\"Healthy\"", health);
        // An anonymous visitor is sent to the sign-in page.
        Assert.Contains("Leads Peer", home);
        Assert.Contains("<h2>Sign in</h2>", home);
        Assert.Contains("account/signup", home);
    }

    [Fact]
    public async Task A_business_signs_up_through_the_form_lands_in_its_inbox_signs_out_and_back_in()
    {
        await using var web = HostProcess.Start("LeadsPeer.Web", "Development", new Dictionary<string, string>
        {
            ["ConnectionStrings__leadspeer"] = await stores.CreateMigratedDatabaseAsync(),
            ["ConnectionStrings__redis"] = stores.Redis.ConnectionString,
        });
        await web.WaitForStatusAsync("/health", HttpStatusCode.OK, Timeout);
        using var browser = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer() }) { BaseAddress = web.Address };

        var signUp = await PostFormAsync(browser, "/account/signup", "signup", new()
        {
            ["Input.OrganizationName"] = "Harbour Hats",
            ["Input.Name"] = "Hana",
            ["Input.Email"] = "hana@harbour.example",
            ["Input.Password"] = "correct horse battery staple",
        });
        var taken = await PostFormAsync(browser, "/account/signup", "signup", new()
        {
            ["Input.OrganizationName"] = "Copy Hats",
            ["Input.Name"] = "Cora",
            ["Input.Email"] = "hana@harbour.example",
            ["Input.Password"] = "correct horse battery staple",
        });
        var team = await browser.GetStringAsync("/team", TestContext.Current.CancellationToken);
        using var signOut = await PostFormAsync(browser, "/account/logout", formName: null, [], from: "/");
        var afterSignOut = await browser.GetStringAsync("/", TestContext.Current.CancellationToken);
        var wrong = await PostFormAsync(browser, "/account/login", "login", new() { ["Input.Email"] = "hana@harbour.example", ["Input.Password"] = "not the password!" });
        var signIn = await PostFormAsync(browser, "/account/login?returnUrl=team", "login", new() { ["Input.Email"] = "hana@harbour.example", ["Input.Password"] = "correct horse battery staple" });

        Assert.Equal("/", signUp.RequestMessage!.RequestUri!.AbsolutePath);
        var inbox = await signUp.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.Contains("Inbox", inbox);
        Assert.Contains("hana@harbour.example", inbox);
        Assert.Contains("Owner", inbox);
        Assert.Contains("Nobody is waiting for a person.", inbox);
        Assert.Contains("exists already", await taken.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Contains("Not available yet.", team);
        Assert.Contains("<h2>Sign in</h2>", afterSignOut);
        Assert.Contains("The email or password is not right.", await wrong.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal("/team", signIn.RequestMessage!.RequestUri!.AbsolutePath);
    }

    /// <summary>Posts a page's form as a browser would: with the antiforgery token the page rendered.</summary>
    private static async Task<HttpResponseMessage> PostFormAsync(
        HttpClient browser, string path, string? formName, Dictionary<string, string> fields, string? from = null)
    {
        var page = await browser.GetStringAsync(from ?? path, TestContext.Current.CancellationToken);
        var token = System.Text.RegularExpressions.Regex.Match(page, "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"");
        if (!token.Success)
        {
            token = System.Text.RegularExpressions.Regex.Match(page, "type=\"hidden\" name=\"__RequestVerificationToken\" value=\"([^\"]+)\"");
        }

        Assert.True(token.Success, $"No antiforgery token on {from ?? path}");
        var form = new Dictionary<string, string>(fields) { ["__RequestVerificationToken"] = token.Groups[1].Value };
        if (formName is not null)
        {
            form["_handler"] = formName;
        }

        return await browser.PostAsync(path, new FormUrlEncodedContent(form), TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task Outside_development_missing_secrets_stop_start_up_and_name_each_setting()
    {
        await using var web = HostProcess.Start("LeadsPeer.Web", "Production", new Dictionary<string, string>
        {
            ["ConnectionStrings__leadspeer"] = await stores.CreateMigratedDatabaseAsync(),
            ["ConnectionStrings__redis"] = stores.Redis.ConnectionString,
        });

        Assert.True(await web.WaitForExitAsync(Timeout), "The Web kept running without its secrets.");
        Assert.NotEqual(0, web.ExitCode);
        Assert.Contains("TokenProtection:Key", web.Output);
        Assert.Contains("WhatsApp:AppSecret", web.Output);
        Assert.Contains("Email:SmtpHost", web.Output);
    }

    [Fact]
    public async Task An_unknown_address_answers_404_with_the_not_found_page()
    {
        await using var web = HostProcess.Start("LeadsPeer.Web", "Development", new Dictionary<string, string>
        {
            ["ConnectionStrings__leadspeer"] = await stores.CreateMigratedDatabaseAsync(),
            ["ConnectionStrings__redis"] = stores.Redis.ConnectionString,
        });

        var page = await web.WaitForStatusAsync("/no-such-page", HttpStatusCode.NotFound, Timeout);

        Assert.Contains("There is nothing at this address", page);
    }
}
