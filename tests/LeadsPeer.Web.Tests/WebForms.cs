using System.Net;
using LeadsPeer.Testing;

namespace LeadsPeer.Web.Tests;

/// <summary>The Web's server-rendered forms as a browser posts them: the page's antiforgery token, then the form.</summary>
public static class WebForms
{
    /// <summary>Posts a form the way a browser does after opening <paramref name="from"/> (by default the form's own page).</summary>
    public static async Task<HttpResponseMessage> PostAsync(
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

    /// <summary>A business signed up through the form; the returned client carries the owner's cookie.</summary>
    public static async Task<HttpClient> SignUpAsync(HostProcess web, string organization, string email)
    {
        var browser = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer() }) { BaseAddress = web.Address };
        (await PostAsync(browser, "/account/signup", "signup", new()
        {
            ["Input.OrganizationName"] = organization,
            ["Input.Name"] = "Owner of " + organization,
            ["Input.Email"] = email,
            ["Input.Password"] = "correct horse battery staple",
        })).EnsureSuccessStatusCode();
        return browser;
    }
}
