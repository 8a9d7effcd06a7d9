using System.Net;
using LeadsPeer.Testing;

namespace LeadsPeer.Web.Tests.Account;

/// <summary>
/// The dashboard's sign-in form is limited as the Api's sign-in is: per (account, address) inside
/// the form, then per address for any account — a password spray from one address gets 401-like
/// answers first, then 429 with <c>Retry-After</c>; showing the form is never counted.
/// </summary>
public sealed class AccountFormLimitTests(TestStores stores)
{
    [Fact]
    public async Task Failed_sign_ins_are_answered_until_the_account_limit_then_the_address_limit_with_retry_after()
    {
        await using var web = HostProcess.Start("LeadsPeer.Web", "Development", new Dictionary<string, string>
        {
            ["ConnectionStrings__leadspeer"] = await stores.CreateMigratedDatabaseAsync(),
            ["ConnectionStrings__redis"] = stores.Redis.ConnectionString,
            ["RateLimits__SignInPerAccount__Permits"] = "2",
            ["RateLimits__SignInPerAddress__Permits"] = "4",
        });
        await web.WaitForStatusAsync("/health", HttpStatusCode.OK, TimeSpan.FromSeconds(60));
        using var browser = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer() }) { BaseAddress = web.Address };

        async Task<(HttpStatusCode Status, string Body, string? RetryAfter)> SignInAsync(string email)
        {
            using var response = await WebForms.PostAsync(browser, "/account/login", "login", new() { ["Input.Email"] = email, ["Input.Password"] = "a wrong password" });
            return (response.StatusCode, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken),
                response.Headers.TryGetValues("Retry-After", out var values) ? values.Single() : null);
        }

        var first = await SignInAsync("spray-a@example.com");
        var second = await SignInAsync("spray-a@example.com");
        var sameAccount = await SignInAsync("spray-a@example.com");
        var otherAccount = await SignInAsync("spray-b@example.com");
        var overAddress = await SignInAsync("spray-c@example.com");

        Assert.All([first, second, otherAccount], attempt => Assert.Contains("The email or password is not right.", attempt.Body));
        Assert.Equal(HttpStatusCode.TooManyRequests, sameAccount.Status);
        Assert.Contains("Too many sign-in attempts for this account from here", sameAccount.Body);
        Assert.NotNull(sameAccount.RetryAfter);
        Assert.Equal(HttpStatusCode.TooManyRequests, overAddress.Status);
        Assert.Contains("Too many attempts from your address", overAddress.Body);
        Assert.True(int.Parse(overAddress.RetryAfter!) is > 0 and <= 60);
        // Showing the form was never counted: it still opens.
        using var page = await browser.GetAsync("/account/login", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
    }
}
