using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using LeadsPeer.ServiceDefaults;
using LeadsPeer.Testing;
using Aspire.Hosting.Testing;
using Microsoft.Playwright;
using static LeadsPeer.EndToEnd.Tests.BrowserSteps;
using static Microsoft.Playwright.Assertions;

namespace LeadsPeer.EndToEnd.Tests;

/// <summary>Ordering in a real browser against the whole product: the customer's phone, the Orders page, and back.</summary>
[Collection(ProductCollection.Name)]
public sealed class OrderingBrowserTests(ProductFixture product)
{
    static OrderingBrowserTests() => SetDefaultExpectTimeout(20_000);

    private const string Password = "correct horse battery staple";
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_sandbox_customer_orders_by_tapping_the_order_appears_live_the_team_marks_it_ready_and_the_phone_is_told()
    {
        var web = product.App.GetEndpoint(ResourceNames.Web, "http");
        var email = $"owner-{Guid.NewGuid():N}@orders.example";
        using var api = product.App.CreateHttpClient(ResourceNames.Api);
        (await api.PostAsJsonAsync("/api/onboarding/signup", new { organizationName = "Tap Bakery", name = "Tia", email, password = Password }, Ct)).EnsureSuccessStatusCode();
        using var login = await api.PostAsJsonAsync("/api/auth/login", new { email, password = Password }, Ct);
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", (await login.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("accessToken").GetString());
        (await api.PostAsync("/api/whatsapp/connections/sandbox", null, Ct)).EnsureSuccessStatusCode();
        (await api.PutAsJsonAsync("/api/ordering/settings", new
        {
            enabled = true, currency = "PKR", referencePrefix = "TB", delivery = false, pickup = true, paymentMethods = new[] { "CashOnDelivery" },
        }, Ct)).EnsureSuccessStatusCode();
        (await api.PostAsJsonAsync("/api/catalog/products", new { sku = "BUN", name = "Cinnamon bun", price = 150, stock = 10 }, Ct)).EnsureSuccessStatusCode();

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Browsers.LaunchChromiumAsync(playwright);
        var session = await browser.NewContextAsync();
        var orders = await session.NewPageAsync();
        await orders.GotoAsync(new Uri(web, "orders").ToString());
        await orders.GetByLabel("Email").FillAsync(email);
        await orders.GetByLabel("Password").FillAsync(Password);
        await orders.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await InteractiveAsync(orders);
        await Expect(orders.GetByTestId("orders-empty")).ToBeVisibleAsync();

        // The customer orders on the phone, tapping the choices the flow offers.
        var phone = await session.NewPageAsync();
        await phone.GotoAsync(new Uri(web, "whatsapp").ToString());
        await InteractiveAsync(phone);
        await SendAsCustomerAsync(phone, "Hello, I'd like to order");
        await Tap(phone, "Products", list: true);
        await Tap(phone, "Cinnamon bun");
        await Tap(phone, "2");
        await Expect(BusinessMessage(phone, "Added 2 × Cinnamon bun.")).ToBeVisibleAsync(new() { Timeout = 30_000 });
        await Tap(phone, "Checkout");
        await Expect(BusinessMessage(phone, "When will you collect it?")).ToBeVisibleAsync(new() { Timeout = 30_000 });
        await SendAsCustomerAsync(phone, "Friday 5 pm");
        await Expect(BusinessMessage(phone, "Total — PKR 300.00")).ToBeVisibleAsync(new() { Timeout = 30_000 });
        await Tap(phone, "Confirm");
        await Expect(BusinessMessage(phone, "TB-1001")).ToBeVisibleAsync(new() { Timeout = 30_000 });

        // The order is on the Orders page without a reload; the team moves it to Ready.
        var row = orders.GetByTestId("order-row").Filter(new() { HasText = "TB-1001" });
        await Expect(row).ToBeVisibleAsync();
        await Expect(orders.GetByTestId("order-count-New")).ToContainTextAsync("(1)");
        await row.ClickAsync();
        await Expect(orders.GetByTestId("order-total")).ToHaveTextAsync("PKR 300.00");
        foreach (var (move, status) in new[] { ("Confirmed", "Confirmed"), ("Preparing", "Preparing"), ("Ready", "Ready") })
        {
            await orders.GetByTestId($"order-move-{move}").ClickAsync();
            await Expect(orders.GetByTestId("order-status")).ToHaveTextAsync(status);
        }

        await Expect(BusinessMessage(phone, "Your order TB-1001 is ready for pickup.")).ToBeVisibleAsync(new() { Timeout = 30_000 });

        // From the phone's shop button, as from a catalog linked on WhatsApp: a cart, priced by the server.
        await phone.GetByTestId("phone-catalog").ClickAsync();
        await phone.Locator("[data-testid=phone-catalog-item][data-sku=BUN] [data-testid=phone-catalog-more]").ClickAsync();
        await phone.GetByTestId("phone-send-cart").ClickAsync();
        await Expect(phone.Locator("[data-testid=phone-message][data-from=customer]").Filter(new() { HasText = "Cart sent" })).ToBeVisibleAsync();
        await Expect(BusinessMessage(phone, "Thanks for your cart!")).ToContainTextAsync("1 × Cinnamon bun — PKR 150.00", new() { Timeout = 30_000 });
        await Expect(orders.Locator("#blazor-error-ui")).ToBeHiddenAsync();
        await Expect(phone.Locator("#blazor-error-ui")).ToBeHiddenAsync();
    }
}
