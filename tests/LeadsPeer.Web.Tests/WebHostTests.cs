using System.Net;
using LeadsPeer.Core.Accounts;
using LeadsPeer.Core.Team;
using LeadsPeer.Testing;
using Microsoft.EntityFrameworkCore;

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

        var signUp = await WebForms.PostAsync(browser, "/account/signup", "signup", new()
        {
            ["Input.OrganizationName"] = "Harbour Hats",
            ["Input.Name"] = "Hana",
            ["Input.Email"] = "hana@harbour.example",
            ["Input.Password"] = "correct horse battery staple",
        });
        var taken = await WebForms.PostAsync(browser, "/account/signup", "signup", new()
        {
            ["Input.OrganizationName"] = "Copy Hats",
            ["Input.Name"] = "Cora",
            ["Input.Email"] = "hana@harbour.example",
            ["Input.Password"] = "correct horse battery staple",
        });
        var team = await browser.GetStringAsync("/team", TestContext.Current.CancellationToken);
        using var signOut = await WebForms.PostAsync(browser, "/account/logout", formName: null, [], from: "/");
        var afterSignOut = await browser.GetStringAsync("/", TestContext.Current.CancellationToken);
        var wrong = await WebForms.PostAsync(browser, "/account/login", "login", new() { ["Input.Email"] = "hana@harbour.example", ["Input.Password"] = "not the password!" });
        var signIn = await WebForms.PostAsync(browser, "/account/login?returnUrl=team", "login", new() { ["Input.Email"] = "hana@harbour.example", ["Input.Password"] = "correct horse battery staple" });

        Assert.Equal("/", signUp.RequestMessage!.RequestUri!.AbsolutePath);
        var inbox = await signUp.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.Contains("Inbox", inbox);
        Assert.Contains("hana@harbour.example", inbox);
        Assert.Contains("Owner", inbox);
        Assert.Contains("Nobody is waiting for a person.", inbox);
        Assert.Contains("exists already", await taken.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Contains("Invite someone", team);
        Assert.Contains("Hana (you)", team);
        Assert.Contains("<h2>Sign in</h2>", afterSignOut);
        Assert.Contains("The email or password is not right.", await wrong.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal("/team", signIn.RequestMessage!.RequestUri!.AbsolutePath);
    }

    [Fact]
    public async Task An_invited_colleague_joins_through_the_invitation_page_and_a_forgotten_password_is_reset_by_email()
    {
        var database = await stores.CreateMigratedDatabaseAsync();
        var mail = Directory.CreateTempSubdirectory("leadspeer-mail-").FullName;
        await using var web = HostProcess.Start("LeadsPeer.Web", "Development", new Dictionary<string, string>
        {
            ["ConnectionStrings__leadspeer"] = database,
            ["ConnectionStrings__redis"] = stores.Redis.ConnectionString,
            ["Email__PickupDirectory"] = mail,
        });
        await web.WaitForStatusAsync("/health", HttpStatusCode.OK, Timeout);
        using var owner = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer() }) { BaseAddress = web.Address };
        using var colleague = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer() }) { BaseAddress = web.Address };
        (await WebForms.PostAsync(owner, "/account/signup", "signup", new()
        {
            ["Input.OrganizationName"] = "Harbour Hats",
            ["Input.Name"] = "Hana",
            ["Input.Email"] = "hana@harbour.example",
            ["Input.Password"] = "correct horse battery staple",
        })).EnsureSuccessStatusCode();

        // An invitation as the Team page makes it (the token only ever travels in the email).
        var token = "invitation-token-for-oscar-0123456789";
        await using (var db = TestStores.CreateDbContext(database))
        {
            var hana = await db.Users.SingleAsync(u => u.Email == "hana@harbour.example", TestContext.Current.CancellationToken);
            await using var tenantDb = TestStores.CreateDbContext(database, hana.CurrentOrganizationId);
            tenantDb.Invitations.Add(new Invitation
            {
                Email = "oscar@harbour.example",
                Role = OrganizationRole.Operator,
                TokenHash = Invitations.HashToken(token),
                InvitedByUserId = hana.Id,
                CreatedAt = DateTimeOffset.UtcNow,
                ExpiresAt = DateTimeOffset.UtcNow + Invitation.Lifetime,
            });
            await tenantDb.SaveChangesAsync(TestContext.Current.CancellationToken);
        }

        var invitation = await colleague.GetStringAsync($"/invitations/{token}", TestContext.Current.CancellationToken);
        var refused = await WebForms.PostAsync(colleague, $"/invitations/{token}", "accept-invitation", new() { ["Input.Name"] = "Oscar", ["Input.Password"] = "short" });
        var joined = await WebForms.PostAsync(colleague, $"/invitations/{token}", "accept-invitation", new() { ["Input.Name"] = "Oscar", ["Input.Password"] = "correct horse battery staple" });
        var usedAgain = await owner.GetStringAsync($"/invitations/{token}", TestContext.Current.CancellationToken);
        var unknown = await owner.GetStringAsync("/invitations/no-such-invitation", TestContext.Current.CancellationToken);

        Assert.Contains("You are invited to join <strong>Harbour Hats</strong> as <strong>Operator</strong>", invitation);
        Assert.Contains("Passwords must be at least 10 characters.", await refused.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal("/", joined.RequestMessage!.RequestUri!.AbsolutePath);
        var inbox = await joined.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        var who = System.Text.RegularExpressions.Regex.Match(inbox, "data-testid=\"who\"[^>]*>([^<]*)<").Groups[1].Value;
        Assert.Equal("oscar@harbour.example · Operator", WebUtility.HtmlDecode(who));
        Assert.Contains("already used, revoked, or has expired", usedAgain);
        Assert.Contains("This invitation link is not valid.", unknown);

        // Hana forgot her password: the link arrives by email, and the new password signs her in.
        using var anonymous = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer() }) { BaseAddress = web.Address };
        var requested = await WebForms.PostAsync(anonymous, "/account/forgot-password", "forgot-password", new() { ["Input.Email"] = "hana@harbour.example" });
        var nobody = await WebForms.PostAsync(anonymous, "/account/forgot-password", "forgot-password", new() { ["Input.Email"] = "nobody@harbour.example" });
        var email = Directory.GetFiles(mail, "*.eml").Select(File.ReadAllText).Single(m => m.Contains("To: hana@harbour.example", StringComparison.OrdinalIgnoreCase))
            .Replace("=\r\n", "").Replace("=\n", "").Replace("=3D", "=");
        var link = System.Text.RegularExpressions.Regex.Match(email, @"(reset-password\?email=[^\s]+&token=[A-Za-z0-9_-]+)").Groups[1].Value;
        var reset = await WebForms.PostAsync(anonymous, "/" + link, "reset-password", new() { ["Input.NewPassword"] = "a brand new passphrase" });
        var oldPassword = await WebForms.PostAsync(anonymous, "/account/login", "login", new() { ["Input.Email"] = "hana@harbour.example", ["Input.Password"] = "correct horse battery staple" });
        var newPassword = await WebForms.PostAsync(anonymous, "/account/login", "login", new() { ["Input.Email"] = "hana@harbour.example", ["Input.Password"] = "a brand new passphrase" });

        var sent = await requested.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.Contains("If an account uses that address", sent);
        Assert.Contains("If an account uses that address", await nobody.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Single(Directory.GetFiles(mail, "*.eml"), f => File.ReadAllText(f).Contains("Reset your Leads Peer password", StringComparison.Ordinal));
        Assert.Contains("Your password is changed.", await reset.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Contains("The email or password is not right.", await oldPassword.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal("/", newPassword.RequestMessage!.RequestUri!.AbsolutePath);
        Directory.Delete(mail, recursive: true);
    }

    /// <summary>Posts a page's form as a browser would: with the antiforgery token the page rendered.</summary>
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
        Assert.Contains("Sandbox:SigningKey", web.Output);
        // Meta's app secret is the Api's alone: the dashboard neither needs nor asks for it.
        Assert.DoesNotContain("WhatsApp:AppSecret", web.Output);
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

    [Fact]
    public async Task Outside_development_the_cookies_are_https_only_and_https_answers_carry_HSTS()
    {
        await using var web = HostProcess.Start("LeadsPeer.Web", "Production", new Dictionary<string, string>
        {
            ["ConnectionStrings__leadspeer"] = await stores.CreateMigratedDatabaseAsync(),
            ["ConnectionStrings__redis"] = stores.Redis.ConnectionString,
            ["TokenProtection__Key"] = Convert.ToBase64String("web-edge-test-key-0123456789abcd"u8),
            ["Sandbox__SigningKey"] = MetaPayloads.SandboxSigningKey,
            ["Email__SmtpHost"] = "127.0.0.1",
            // A TLS proxy on this machine speaks HTTP to the Web.
            ["ForwardedHeaders__KnownProxies__0"] = "127.0.0.1",
        });
        await web.WaitForStatusAsync("/health", HttpStatusCode.OK, Timeout);
        using var http = new HttpClient { BaseAddress = web.Address };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/account/login");
        request.Headers.Host = "dashboard.leadspeer.example";
        request.Headers.Add("X-Forwarded-Proto", "https");

        using var login = await http.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        var cookies = login.Headers.GetValues("Set-Cookie").ToList();
        Assert.NotEmpty(cookies); // the form's antiforgery cookie: Secure, the request being HTTPS through the proxy
        Assert.All(cookies, cookie => Assert.Contains("secure", cookie, StringComparison.OrdinalIgnoreCase));
        Assert.True(login.Headers.Contains("Strict-Transport-Security"));

        // Signing up over plain HTTP (no proxy in between): the sign-in cookie is still HTTPS-only.
        using var plain = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = web.Address };
        using var signUp = await WebForms.PostAsync(plain, "/account/signup", "signup", new()
        {
            ["Input.OrganizationName"] = "Secure Sails",
            ["Input.Name"] = "Sol",
            ["Input.Email"] = "sol@secure.example",
            ["Input.Password"] = "correct horse battery staple",
        });
        var session = Assert.Single(signUp.Headers.GetValues("Set-Cookie"), c => c.StartsWith(".AspNetCore.Identity.Application=", StringComparison.Ordinal));
        Assert.Contains("secure", session, StringComparison.OrdinalIgnoreCase);
    }
}
