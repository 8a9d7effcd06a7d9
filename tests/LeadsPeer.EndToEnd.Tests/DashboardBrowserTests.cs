using Aspire.Hosting;
using Aspire.Hosting.Testing;
using LeadsPeer.Testing;
using LeadsPeer.ServiceDefaults;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace LeadsPeer.EndToEnd.Tests;

/// <summary>The dashboard in a real browser (Debian's Chromium), against the whole product.</summary>
[Collection(ProductCollection.Name)]
public sealed class DashboardBrowserTests(ProductFixture product)
{
    [Fact]
    public async Task The_shell_navigates_between_areas_in_a_real_browser()
    {
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Browsers.LaunchChromiumAsync(playwright);
        var page = await browser.NewPageAsync();
        var web = product.App.GetEndpoint(ResourceNames.Web, "http");

        await page.GotoAsync(web.ToString());
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Inbox" })).ToBeVisibleAsync();
        // Blazor's script must be loaded, so the click goes through its router.
        await page.WaitForFunctionAsync("() => window.Blazor !== undefined");

        await page.GetByRole(AriaRole.Link, new() { Name = "Knowledge" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Knowledge" })).ToBeVisibleAsync();
        await page.WaitForURLAsync("**/knowledge");
        await Expect(page.Locator("#blazor-error-ui")).ToBeHiddenAsync();
    }
}
