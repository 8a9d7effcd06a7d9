using System.Text;
using LeadsPeer.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace LeadsPeer.Core.Catalog;

/// <summary>A product a customer can be offered, with what the flow needs to show it.</summary>
public sealed record OfferedProduct(Guid Id, string Sku, string Name, string? Variant, string? Description, long PriceMinor, int? Stock, bool HasVariants, Guid? ParentId = null)
{
    public string Title => Product.Title(Name, Variant);
}

/// <summary>
/// What customers are offered, read the same way by the ordering flow's lists and by the
/// language model's <c>search_products</c> tool: available products only, prices from the row.
/// </summary>
public sealed class CatalogQueries(LeadsPeerDbContext db)
{
    /// <summary>The categories that have something available, alphabetically.</summary>
    public async Task<IReadOnlyList<string>> CategoriesAsync(CancellationToken cancellationToken) =>
        await db.Products.AsNoTracking()
            .Where(p => p.Available && p.ParentId == null && p.Category != null)
            .Select(p => p.Category!).Distinct().OrderBy(c => c).ToListAsync(cancellationToken);

    /// <summary>A page of available products of a category (null: all), by name; options are picked after their product.</summary>
    public async Task<(IReadOnlyList<OfferedProduct> Items, bool More)> ProductsAsync(string? category, int skip, int take, CancellationToken cancellationToken)
    {
        var products = db.Products.Where(p => p.ParentId == null);
        if (category is not null)
        {
            products = products.Where(p => p.Category == category);
        }

        var rows = await Project(Offered(products).OrderBy(p => p.Name).ThenBy(p => p.Id).Skip(skip).Take(take + 1)).ToListAsync(cancellationToken);
        return (rows.Take(take).ToList(), rows.Count > take);
    }

    /// <summary>
    /// What can go in a cart as it is, of a category (null: all), by name: products without
    /// options, and each option (its product's category counts) — what a Meta catalog lists by SKU.
    /// One more than <paramref name="take"/> is looked for, to tell whether there are more;
    /// <paramref name="skus"/> keeps only those (the items a product message showed).
    /// </summary>
    public async Task<(IReadOnlyList<OfferedProduct> Items, bool More)> OrderableAsync(
        string? category, int take, CancellationToken cancellationToken, IReadOnlyCollection<string>? skus = null)
    {
        var products = db.Products.Where(p => !db.Products.Any(v => v.ParentId == p.Id && v.Available));
        if (skus is not null)
        {
            products = products.Where(p => skus.Contains(p.Sku));
        }

        if (category is not null)
        {
            products = products.Where(p => p.ParentId == null
                ? p.Category == category
                : db.Products.Any(parent => parent.Id == p.ParentId && parent.Category == category));
        }

        var rows = await Project(Offered(products).OrderBy(p => p.Name).ThenBy(p => p.PriceMinor).ThenBy(p => p.Id).Take(take + 1)).ToListAsync(cancellationToken);
        return (rows.Take(take).ToList(), rows.Count > take);
    }

    /// <summary>The available options of a product, cheapest first.</summary>
    public async Task<IReadOnlyList<OfferedProduct>> VariantsAsync(Guid productId, CancellationToken cancellationToken) =>
        await Project(Offered(db.Products.Where(p => p.ParentId == productId)).OrderBy(p => p.PriceMinor).ThenBy(p => p.Variant)).ToListAsync(cancellationToken);

    /// <summary>The offered products with these SKUs (a Meta catalog cart names products by SKU).</summary>
    public async Task<IReadOnlyList<OfferedProduct>> BySkuAsync(IReadOnlyCollection<string> skus, CancellationToken cancellationToken) =>
        await Project(Offered(db.Products.Where(p => skus.Contains(p.Sku)))).ToListAsync(cancellationToken);

    public Task<OfferedProduct?> FindAsync(Guid id, CancellationToken cancellationToken) =>
        Project(Offered(db.Products.Where(p => p.Id == id))).SingleOrDefaultAsync(cancellationToken);

    /// <summary>
    /// Available products whose name, option, category or SKU contain every word typed (as
    /// prefixes: "choc fud" finds "Chocolate fudge"), best matches first. Options are returned
    /// themselves, so "fudge 2kg" can name one option exactly; an option whose product matched too
    /// ("chocolate cake" matches the cake and each size) is left out, so the product is the match.
    /// </summary>
    public async Task<IReadOnlyList<OfferedProduct>> SearchAsync(string text, int take, CancellationToken cancellationToken)
    {
        if (TsQuery(text) is not { } words)
        {
            return [];
        }

        // The query is built inside the expression: a captured tsquery value would be evaluated on the client.
        var found = await Project(Offered(db.Products.Where(p => p.SearchVector.Matches(EF.Functions.ToTsQuery("simple", words))))
            .OrderByDescending(p => p.SearchVector.Rank(EF.Functions.ToTsQuery("simple", words))).ThenBy(p => p.Name).ThenBy(p => p.PriceMinor)
            .Take(take * 4)).ToListAsync(cancellationToken);
        var products = found.Where(p => p.ParentId is null).Select(p => p.Id).ToHashSet();
        return [.. found.Where(p => p.ParentId is not { } parent || !products.Contains(parent)).Take(take)];
    }

    /// <summary>
    /// The products a customer's words name anywhere among other words ("please deliver one
    /// chocolate fudge cake to my house tomorrow"), as <see cref="ProductNames"/> reads names;
    /// options are left to their product. Empty when the words name none.
    /// </summary>
    public async Task<IReadOnlyList<OfferedProduct>> NamedInAsync(string? text, int take, CancellationToken cancellationToken)
    {
        var words = ProductNames.Words(text);
        var searchable = ProductNames.Searchable(words);
        if (searchable.Count == 0)
        {
            return [];
        }

        // Any of the words, nearest first; then only those whose name the words hold.
        var query = AnyOf(searchable);
        var found = await Project(OfferedMatching(query)
            .OrderByDescending(p => p.SearchVector.Rank(EF.Functions.ToTsQuery("simple", query))).ThenBy(p => p.Name)
            .Take(take * 8)).ToListAsync(cancellationToken);
        return [.. found.Where(p => ProductNames.Named(words, p.Name)).Take(take)];
    }

    /// <summary>
    /// Whether the words hold a word of an offered product's name — "sourdough" of "Sourdough
    /// loaf" in "is the sourdough vegan?": a question about the business's own products. Words of
    /// four letters or more, each read in the singular ("croissants" is "croissant"); "a" or "of" do not count.
    /// </summary>
    public async Task<bool> SpeaksOfProductsAsync(string? text, CancellationToken cancellationToken)
    {
        var words = ProductNames.Words(text).Where(w => w.Length >= MinProductWord).ToHashSet(StringComparer.Ordinal);
        if (words.Count == 0)
        {
            return false;
        }

        var names = await OfferedMatching(AnyOf(words.Take(12))).OrderBy(p => p.Name).Select(p => p.Name).Take(20).ToListAsync(cancellationToken);
        return names.Any(name => ProductNames.Words(name).Any(words.Contains));
    }

    private const int MinProductWord = 4;

    /// <summary>A prefix query for any of the words (letters and digits only, as <see cref="ProductNames.Words"/> gives them).</summary>
    private static string AnyOf(IEnumerable<string> words) => string.Join(" | ", words.Select(w => w + ":*"));

    /// <summary>Offered products (not their options) whose name, category or SKU matches <paramref name="query"/>.</summary>
    private IQueryable<Product> OfferedMatching(string query) =>
        Offered(db.Products.Where(p => p.ParentId == null && p.SearchVector.Matches(EF.Functions.ToTsQuery("simple", query))));

    /// <summary>
    /// A prefix query from a person's words ("choc fudge" → <c>choc:* &amp; fudge:*</c>): letters and
    /// digits only, so nothing typed is read as query syntax; null when no word is left.
    /// "2kg" also matches "2 kg" (a number and its unit are split).
    /// </summary>
    public static string? TsQuery(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var words = new List<string>();
        var word = new StringBuilder();
        void End()
        {
            if (word.Length > 0)
            {
                // A plural finds its singular too ("buns" → bun:*), since the words are prefixes.
                words.Add(ProductNames.Singular(word.ToString().ToLowerInvariant()) + ":*");
                word.Clear();
            }
        }

        foreach (var c in text.Length > 200 ? text[..200] : text)
        {
            if (!char.IsLetterOrDigit(c) || (word.Length > 0 && char.IsDigit(c) != char.IsDigit(word[^1])))
            {
                End();
            }

            if (char.IsLetterOrDigit(c))
            {
                word.Append(c);
            }
        }

        End();
        return words.Count == 0 ? null : string.Join(" & ", words.Distinct().Take(12));
    }

    // Offered: available, and for an option, its product too (switching a product off hides its options).
    private IQueryable<Product> Offered(IQueryable<Product> products) =>
        products.AsNoTracking().Where(p => p.Available && (p.ParentId == null || db.Products.Any(parent => parent.Id == p.ParentId && parent.Available)));

    private IQueryable<OfferedProduct> Project(IQueryable<Product> products) =>
        products.Select(p => new OfferedProduct(p.Id, p.Sku, p.Name, p.Variant, p.Description, p.PriceMinor, p.Stock,
            db.Products.Any(v => v.ParentId == p.Id && v.Available), p.ParentId));
}
