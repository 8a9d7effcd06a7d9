namespace LeadsPeer.Core.Catalog;

/// <summary>A product as the dashboard and the API show it; <see cref="Price"/> is in the organisation's currency.</summary>
public sealed record ProductView(
    Guid Id,
    string Sku,
    string Name,
    string? Description,
    string? Category,
    decimal Price,
    long PriceMinor,
    string? Currency,
    string? ImageUrl,
    bool Available,
    int? Stock,
    Guid? ParentId,
    string? Variant,
    DateTimeOffset UpdatedAt)
{
    public static ProductView Of(Product product, string? currency) => new(
        product.Id, product.Sku, product.Name, product.Description, product.Category,
        currency is null ? product.PriceMinor : Money.ToAmount(product.PriceMinor, currency), product.PriceMinor, currency,
        product.ImageUrl, product.Available, product.Stock, product.ParentId, product.Variant, product.UpdatedAt);
}

public sealed record ProductPage(IReadOnlyList<ProductView> Items, string? NextCursor);

/// <summary>
/// A product as a person writes it (PUT replaces it). <see cref="Currency"/> may be omitted; when
/// given it must be the organisation's (or becomes it, for the first product). A variant names its
/// product by <see cref="ParentSku"/> and its option by <see cref="Variant"/>.
/// </summary>
public sealed record ProductInput(
    string? Sku,
    string? Name,
    string? Description = null,
    string? Category = null,
    decimal? Price = null,
    string? Currency = null,
    string? ImageUrl = null,
    bool? Available = null,
    int? Stock = null,
    string? ParentSku = null,
    string? Variant = null);

/// <summary>What a product must be, whichever way it arrives (the API, the dashboard, a CSV line).</summary>
internal static class ProductRules
{
    /// <summary>The field errors of <paramref name="input"/>, and its price in minor units of <paramref name="currency"/> when it has none.</summary>
    public static (Dictionary<string, string[]> Errors, long PriceMinor) Check(ProductInput input, string? currency)
    {
        var errors = new Dictionary<string, string[]>();
        void Fail(string field, string message) => errors[field] = [message];
        void Length(string field, string? value, int limit, string what)
        {
            if (value?.Trim().Length > limit)
            {
                Fail(field, $"{what} is at most {limit} characters.");
            }
        }

        if (string.IsNullOrWhiteSpace(input.Sku))
        {
            Fail("sku", "A product needs a SKU (the business's own code for it).");
        }
        else if (input.Sku.Trim().Any(char.IsWhiteSpace))
        {
            Fail("sku", "A SKU has no spaces.");
        }

        Length("sku", input.Sku, CatalogLimits.Sku, "A SKU");
        if (string.IsNullOrWhiteSpace(input.Name))
        {
            Fail("name", "A product needs a name.");
        }

        Length("name", input.Name, CatalogLimits.Name, "A name");
        Length("description", input.Description, CatalogLimits.Description, "A description");
        Length("category", input.Category, CatalogLimits.Category, "A category");
        Length("variant", input.Variant, CatalogLimits.Variant, "An option's name");
        if (string.IsNullOrWhiteSpace(input.ParentSku) != string.IsNullOrWhiteSpace(input.Variant))
        {
            Fail("variant", "An option names both its product (parentSku) and its own name (variant, e.g. \"2 kg\").");
        }

        if (input.ImageUrl is { Length: > 0 } url
            && (!Uri.TryCreate(url.Trim(), UriKind.Absolute, out var image) || image.Scheme != Uri.UriSchemeHttps || url.Length > CatalogLimits.Url))
        {
            Fail("imageUrl", "An image is an https:// address of at most 500 characters.");
        }

        if (input.Stock is < 0)
        {
            Fail("stock", "Stock cannot be negative; leave it empty when you do not count it.");
        }

        long priceMinor = 0;
        if (input.Currency is { } given && !Money.IsCurrency(given))
        {
            Fail("currency", $"'{given}' is not an ISO 4217 currency code (e.g. PKR, USD, EUR).");
        }
        else if (input.Price is not { } price)
        {
            Fail("price", "A product needs a price.");
        }
        else if ((input.Currency ?? currency) is not { } priced)
        {
            Fail("currency", "Name the currency (the organisation has none yet).");
        }
        else if (Money.ToMinor(price, priced) is (null, var error))
        {
            Fail("price", error!);
        }
        else
        {
            priceMinor = Money.ToMinor(price, priced).Minor!.Value;
        }

        if (input.Currency is { } named && currency is not null && named != currency)
        {
            Fail("currency", $"The organisation's prices are in {currency}; one organisation has one currency.");
        }

        return (errors, priceMinor);
    }

    public static string? Clean(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
