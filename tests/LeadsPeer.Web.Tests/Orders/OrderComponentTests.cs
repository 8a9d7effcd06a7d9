using Bunit;
using LeadsPeer.Core.Catalog;
using LeadsPeer.Core.Orders;
using LeadsPeer.Core.Ordering;
using LeadsPeer.Web.Components.Pages.Catalog;
using LeadsPeer.Web.Components.Pages.Conversations;
using LeadsPeer.Web.Components.Pages.Orders;

namespace LeadsPeer.Web.Tests.Orders;

/// <summary>The Orders and Catalog screens' parts: an order's lines and moves, the cart of a customer ordering now, the product form, the import's line report.</summary>
public sealed class OrderComponentTests : WebComponentTest
{
    private static OrderView Order(OrderStatus status, string? notNotified = null, Fulfilment fulfilment = Fulfilment.Delivery) => new(
        Guid.NewGuid(), "GTB-1042", status, OrderLifecycle.NextOf(status), "Ayesha", Guid.NewGuid(), fulfilment, "Johar Town", "House 12", null,
        PaymentMethod.CashOnDelivery, "PKR", 8400m, 200m, 8600m, "PKR 8,600.00", null, notNotified,
        [new OrderLineView("CAKE-2KG", "Chocolate fudge cake (2 kg)", 4200m, 2, 8400m)], DateTimeOffset.UtcNow, DateTimeOffset.UtcNow);

    [Fact]
    public void An_order_shows_its_lines_fee_and_total_and_offers_only_the_moves_it_can_make()
    {
        var moves = new List<(OrderStatus, string?)>();
        var detail = Render<OrderDetail>(p => p.Add(d => d.Order, Order(OrderStatus.Preparing)).Add(d => d.OnMove, m => moves.Add(m)));

        Assert.Contains("Chocolate fudge cake (2 kg)", detail.Find("[data-testid=order-line]").TextContent);
        Assert.Contains("PKR 200.00", detail.Find("[data-testid=order-lines]").TextContent);
        Assert.Equal("PKR 8,600.00", detail.Find("[data-testid=order-total]").TextContent.Trim());
        Assert.Contains("Delivery to House 12, Johar Town", detail.Find("[data-testid=order-fulfilment]").TextContent);
        Assert.Equal(["order-move-Ready", "order-move-OutForDelivery"], detail.FindAll("[data-testid^=order-move-]").Select(b => b.GetAttribute("data-testid")));
        Assert.Empty(detail.FindAll("[data-testid=order-not-notified]"));

        detail.Find("[data-testid=order-move-Ready]").Click();
        Assert.Equal([(OrderStatus.Ready, (string?)null)], moves);
    }

    [Fact]
    public void A_cancellation_waits_for_its_reason_and_an_order_the_customer_was_not_told_of_says_why()
    {
        var moves = new List<(OrderStatus, string?)>();
        var detail = Render<OrderDetail>(p => p.Add(d => d.Order, Order(OrderStatus.New, notNotified: "The customer opted out (STOP)."))
            .Add(d => d.OnMove, m => moves.Add(m)));

        Assert.True(detail.Find("button[data-testid=order-cancel]").HasAttribute("disabled"));
        detail.Find("input[data-testid=order-cancel-reason]").Input("Out of flour");
        detail.Find("button[data-testid=order-cancel]").Click();

        Assert.Equal([(OrderStatus.Cancelled, "Out of flour")], moves);
        Assert.Contains("Customer not notified: The customer opted out (STOP).", detail.Find("[data-testid=order-not-notified]").TextContent);
        var done = Render<OrderDetail>(p => p.Add(d => d.Order, Order(OrderStatus.Completed)));
        Assert.Empty(done.FindAll("[data-testid^=order-move-], [data-testid=order-cancel]"));
    }

    [Fact]
    public void The_conversation_shows_the_customers_orders_and_the_cart_of_an_order_in_progress()
    {
        var panel = Render<CustomerOrders>(p => p.Add(c => c.Orders, [Order(OrderStatus.Ready)])
            .Add(c => c.Cart, new FlowCartView("payment", ["2 × Cinnamon bun — PKR 300.00"], "PKR 300.00")));
        var nothing = Render<CustomerOrders>(p => p.Add(c => c.Orders, []));

        Assert.Contains("at the payment step", panel.Find("[data-testid=flow-cart]").TextContent);
        Assert.Contains("2 × Cinnamon bun — PKR 300.00", panel.Find("[data-testid=flow-cart]").TextContent);
        Assert.Contains("GTB-1042", panel.Find("[data-testid=customer-order]").TextContent);
        Assert.Empty(nothing.Markup.Trim());
    }

    [Fact]
    public void The_product_form_sends_what_was_typed_and_shows_each_refused_field_by_its_input()
    {
        var sent = new List<ProductInput>();
        IReadOnlyDictionary<string, string>? refusal = new Dictionary<string, string> { ["price"] = "PKR has 2 decimals at most." };
        var form = Render<ProductForm>(p => p.Add(f => f.Currency, "PKR").Add(f => f.OnSave, input => { sent.Add(input); return Task.FromResult<IReadOnlyDictionary<string, string>?>(refusal); }));

        form.Find("input[data-testid=product-sku]").Input("BUN");
        form.Find("input[data-testid=product-name]").Input("Cinnamon bun");
        form.Find("input[data-testid=product-price]").Change("1.505");
        form.Find("[data-testid=product-save]").Click();

        var input = Assert.Single(sent);
        Assert.Equal(("BUN", "Cinnamon bun", 1.505m, "PKR"), (input.Sku, input.Name, input.Price, input.Currency));
        Assert.Equal("true", form.Find("input[data-testid=product-price]").GetAttribute("aria-invalid"));
        Assert.Equal("false", form.Find("input[data-testid=product-sku]").GetAttribute("aria-invalid"));
        Assert.Contains("PKR has 2 decimals at most.", form.Markup);
        Assert.Empty(form.FindAll("[data-testid=product-currency]")); // the organisation's currency is set already
    }

    [Fact]
    public void An_import_report_names_every_bad_line_or_says_what_was_imported()
    {
        var refused = Render<ImportResult>(p => p.Add(r => r.Title, "2 lines of the file are not valid; nothing was imported.")
            .Add(r => r.Errors, [("line 3", "PKR has 2 decimals at most."), ("line 4", "The SKU 'TART' is already on line 2.")]));
        var done = Render<ImportResult>(p => p.Add(r => r.Title, "catalog.csv: 4 products added, 0 changed."));

        Assert.Equal(["line 3: PKR has 2 decimals at most.", "line 4: The SKU 'TART' is already on line 2."],
            refused.FindAll("[data-testid=import-error]").Select(e => e.TextContent.Trim()));
        Assert.Contains("4 products added", done.Find("[data-testid=import-done]").TextContent);
        Assert.Empty(done.FindAll("[data-testid=import-errors]"));
    }
}
