using System.Text.Json.Nodes;
using LeadsPeer.Core.Conversations.Interactive;

namespace LeadsPeer.Core.Tests.Conversations;

/// <summary>Products of a Meta catalog in a message: Meta's limits, and the JSON Graph takes.</summary>
public sealed class ProductMessageTests
{
    private static ListSection Section(string title, params string[] skus) => new(title, null, skus);

    [Fact]
    public void A_product_list_is_written_as_Graph_takes_it_and_its_skus_are_read_back()
    {
        var content = new InteractiveContent(InteractiveMessages.ProductList, "Add what you like.", Header: "Cakes",
            Sections: [Section("Cakes", "CAKE-1KG", "CAKE-2KG"), Section("Buns", "BUN")], CatalogId: "1204876330411024");

        var graph = InteractiveMessages.ToGraph(content);

        Assert.Null(InteractiveMessages.Validate(content));
        Assert.Equal("""{"type":"interactive","interactive":{"type":"product_list","header":{"type":"text","text":"Cakes"},"body":{"text":"Add what you like."},"action":{"catalog_id":"1204876330411024","sections":[{"title":"Cakes","product_items":[{"product_retailer_id":"CAKE-1KG"},{"product_retailer_id":"CAKE-2KG"}]},{"title":"Buns","product_items":[{"product_retailer_id":"BUN"}]}]}}}""",
            graph.ToJsonString());
        Assert.Equal(["CAKE-1KG", "CAKE-2KG", "BUN"], InteractiveMessages.ProductsOf(graph));
        Assert.Empty(InteractiveMessages.ChoicesOf(graph)); // nothing to tap: a cart comes back instead
    }

    [Fact]
    public void A_single_product_may_go_without_words_and_without_a_header()
    {
        var content = new InteractiveContent(InteractiveMessages.Product, null, CatalogId: "1204876330411024", ProductRetailerId: "BUN");

        var graph = InteractiveMessages.ToGraph(content);

        Assert.Null(InteractiveMessages.Validate(content));
        Assert.Null(graph["interactive"]!["body"]);
        Assert.Equal("BUN", graph["interactive"]!["action"]!["product_retailer_id"]!.GetValue<string>());
        Assert.Equal(["BUN"], InteractiveMessages.ProductsOf(graph));
        Assert.Empty(InteractiveMessages.ProductsOf(JsonNode.Parse("""{"type":"text","text":{"body":"hi"}}""")!.AsObject()));
    }

    [Fact]
    public void Product_messages_that_Meta_would_refuse_name_the_field_that_breaks_the_limit()
    {
        var thirtyOne = Enumerable.Range(1, 31).Select(i => $"SKU-{i}").ToArray();

        var errors = new Dictionary<string, InteractiveContent>
        {
            ["interactive.header"] = new(InteractiveMessages.ProductList, "Pick", Sections: [Section("All", "A")], CatalogId: "1"),
            ["interactive.catalogId"] = new(InteractiveMessages.ProductList, "Pick", Header: "Menu", Sections: [Section("All", "A")]),
            ["interactive.sections.productRetailerIds"] = new(InteractiveMessages.ProductList, "Pick", Header: "Menu", Sections: [Section("All", thirtyOne)], CatalogId: "1"),
            ["interactive.sections[0].title"] = new(InteractiveMessages.ProductList, "Pick", Header: "Menu", Sections: [Section("", "A")], CatalogId: "1"),
            ["interactive.productRetailerId"] = new(InteractiveMessages.Product, null, CatalogId: "1"),
        }.ToDictionary(e => e.Key, e => InteractiveMessages.Validate(e.Value));

        foreach (var (field, found) in errors)
        {
            Assert.NotNull(found);
            Assert.Contains(field, found.Keys);
        }

        var twice = InteractiveMessages.Validate(new(InteractiveMessages.ProductList, "Pick", Header: "Menu", Sections: [Section("One", "A"), Section("Two", "A")], CatalogId: "1"));
        Assert.Contains("used twice", Assert.Single(twice!["interactive.sections.productRetailerIds"]));
        Assert.Contains("interactive.header", InteractiveMessages.Validate(new(InteractiveMessages.Product, null, Header: "Hi", CatalogId: "1", ProductRetailerId: "A"))!.Keys);
    }
}
