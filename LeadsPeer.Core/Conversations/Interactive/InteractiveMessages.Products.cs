using System.Text.Json.Nodes;

namespace LeadsPeer.Core.Conversations.Interactive;

/// <summary>Products of the business's Meta catalog in a message: their limits, and what a sent one showed.</summary>
public static partial class InteractiveMessages
{
    private static void ValidateProductSections(IReadOnlyList<ListSection> sections, Action<string, string?, int, string> required, Action<string, string> fail)
    {
        if (sections.Count is 0 or > InteractiveLimits.MaxSections)
        {
            fail("sections", $"A product list has 1 to {InteractiveLimits.MaxSections} sections (WhatsApp's limit); this one has {sections.Count}.");
        }

        var skus = sections.SelectMany(s => s.ProductRetailerIds ?? []).ToList();
        if (skus.Count is 0 or > InteractiveLimits.MaxProducts)
        {
            fail("sections.productRetailerIds", $"A product list has 1 to {InteractiveLimits.MaxProducts} products in all its sections (WhatsApp's limit); this one has {skus.Count}.");
        }

        for (var s = 0; s < sections.Count; s++)
        {
            required($"sections[{s}].title", sections[s].Title, InteractiveLimits.SectionTitle, "A product section's title");
            var ids = sections[s].ProductRetailerIds ?? [];
            for (var i = 0; i < ids.Count; i++)
            {
                required($"sections[{s}].productRetailerIds[{i}]", ids[i], InteractiveLimits.ProductRetailerId, "A product's SKU");
            }
        }

        Unique("sections.productRetailerIds", skus, fail);
    }

    /// <summary>The SKUs (<c>product_retailer_id</c>) an outbound product or product-list message's Graph JSON shows; none for other messages.</summary>
    public static IReadOnlyList<string> ProductsOf(JsonObject? graphMessage) => ProductsOfInteractive(graphMessage?["interactive"]);

    /// <summary>The same, from a message's <c>interactive</c> object itself.</summary>
    public static IReadOnlyList<string> ProductsOfInteractive(JsonNode? interactive)
    {
        var action = interactive?["action"];
        if (action?["product_retailer_id"]?.GetValue<string>() is { } one)
        {
            return [one];
        }

        return [.. (action?["sections"] as JsonArray ?? []).SelectMany(s => s?["product_items"] as JsonArray ?? [])
            .Select(p => p?["product_retailer_id"]?.GetValue<string>()).OfType<string>()];
    }
}
