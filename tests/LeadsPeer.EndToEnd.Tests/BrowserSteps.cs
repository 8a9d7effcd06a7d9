using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace LeadsPeer.EndToEnd.Tests;

/// <summary>What the browser tests do the same way: wait for the live circuit, write as the sandbox customer, find what the business sent.</summary>
internal static class BrowserSteps
{
    /// <summary>Until the circuit has taken over from the prerendered page: a click before that is lost.</summary>
    public static Task InteractiveAsync(IPage page) =>
        page.Locator("[data-testid=shell][data-interactive=true]").WaitForAsync();

    /// <summary>
    /// Types into the sandbox customer's phone and sends; the message shows on the phone. A live
    /// re-render (the business's reply, its ticks) can land between typing and the click and lose
    /// them: while the words are still in the box (nothing was sent), they are typed and sent again,
    /// as a person would.
    /// </summary>
    public static async Task SendAsCustomerAsync(IPage phone, string text)
    {
        var input = phone.Locator("input[data-testid=phone-input], [data-testid=phone-input] input").First;
        // The customer's own bubble: the business's question may quote the same words as an example.
        var sent = phone.Locator("[data-testid=phone-message][data-from=customer]").Filter(new() { HasText = text });
        for (var attempt = 1; ; attempt++)
        {
            if (await input.InputValueAsync() != text)
            {
                await input.FillAsync(text);
            }

            await phone.GetByTestId("phone-send").ClickAsync();
            try
            {
                await Expect(sent).ToBeVisibleAsync(new() { Timeout = 5_000 });
                return;
            }
            catch (PlaywrightException) when (attempt < 3)
            {
                if (await input.InputValueAsync() == "")
                {
                    await Expect(sent).ToBeVisibleAsync(); // it went: wait for it to show
                    return;
                }
            }
        }
    }

    public static ILocator BusinessMessage(IPage phone, string text) =>
        phone.Locator("[data-testid=phone-message][data-from=business]").Filter(new() { HasText = text });

    /// <summary>Taps the newest choice with this title (a list's button opens its rows first, as on WhatsApp).</summary>
    public static async Task Tap(IPage phone, string title, bool list = false)
    {
        var choice = phone.GetByTestId(list ? "phone-list" : "phone-choice").Filter(new() { HasText = title }).Last;
        await Expect(choice).ToBeVisibleAsync(new() { Timeout = 30_000 });
        await choice.ClickAsync();
    }
}
