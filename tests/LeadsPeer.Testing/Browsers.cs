using Microsoft.Playwright;

namespace LeadsPeer.Testing;

public static class Browsers
{
    /// <summary>
    /// Debian's Chromium (installed by scripts/setup.sh) — Playwright never downloads a browser.
    /// The flags keep it from reaching out to the network at start, and let it run as root.
    /// </summary>
    public static Task<IBrowser> LaunchChromiumAsync(IPlaywright playwright) =>
        playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Environment.GetEnvironmentVariable("CHROMIUM_PATH") ?? "/usr/bin/chromium",
            Headless = true,
            Args =
            [
                "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run",
            ],
        });
}
