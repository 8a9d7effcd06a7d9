using AngleSharp.Dom;
using Bunit;
using LeadsPeer.Core.WhatsApp.Sandbox;
using LeadsPeer.Web.Components.Pages.WhatsApp;

namespace LeadsPeer.Web.Tests.WhatsApp;

/// <summary>The catalog sheet of the customer phone: quantities picked item by item, and the cart they make.</summary>
public sealed class PhoneCatalogTests : WebComponentTest
{
    private static readonly SandboxCatalogItem[] Items =
    [
        new("CAKE-1KG", "Chocolate fudge cake (1 kg)", "PKR 2,200.00", null),
        new("BUN", "Cinnamon bun", "PKR 150.00", 3),
    ];

    [Fact]
    public void Quantities_picked_in_the_catalog_are_sent_as_one_cart_in_the_order_they_were_added()
    {
        var sent = new List<IReadOnlyList<SandboxCartItem>>();
        var sheet = Render<PhoneCatalog>(p => p.Add(c => c.Items, Items).Add(c => c.OnSend, cart => sent.Add(cart)));
        IElement Item(string sku) => sheet.Find($"[data-testid=phone-catalog-item][data-sku='{sku}']");

        Assert.True(sheet.Find("button[data-testid=phone-send-cart]").HasAttribute("disabled")); // nothing picked yet
        Assert.Contains("PKR 150.00 · 3 left", Item("BUN").TextContent);
        Item("BUN").QuerySelector("button[data-testid=phone-catalog-more]")!.Click();
        sheet.Find("[data-sku=BUN] button[data-testid=phone-catalog-more]").Click();
        sheet.Find("[data-sku=CAKE-1KG] button[data-testid=phone-catalog-more]").Click();
        sheet.Find("[data-sku=CAKE-1KG] button[data-testid=phone-catalog-more]").Click();
        sheet.Find("[data-sku=CAKE-1KG] button[data-testid=phone-catalog-less]").Click();

        Assert.Equal("2", sheet.Find("[data-sku=BUN] [data-testid=phone-catalog-count]").TextContent);
        Assert.Contains("Send cart (3)", sheet.Find("button[data-testid=phone-send-cart]").TextContent);
        sheet.Find("button[data-testid=phone-send-cart]").Click();
        Assert.Equal([new SandboxCartItem("BUN", 2), new SandboxCartItem("CAKE-1KG", 1)], Assert.Single(sent));
    }

    [Fact]
    public void A_business_without_a_catalog_says_why_and_nothing_can_be_sent()
    {
        var sheet = Render<PhoneCatalog>(p => p.Add(c => c.Error, "This business takes no orders on WhatsApp yet."));

        Assert.Contains("takes no orders", sheet.Find("[data-testid=phone-catalog-error]").TextContent);
        Assert.Empty(sheet.FindAll("[data-testid=phone-catalog-item]"));
        Assert.True(sheet.Find("button[data-testid=phone-send-cart]").HasAttribute("disabled"));
    }
}
