using System.Globalization;
using LeadsPeer.Core.Accounts;
using LeadsPeer.Core.Audit;
using LeadsPeer.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace LeadsPeer.Core.Catalog;

/// <summary>What an import changed.</summary>
public sealed record ImportReport(int Created, int Updated);

/// <summary>
/// A catalog from a CSV file (<c>sku,name,description,category,price,currency,available,stock,parent_sku,variant</c>;
/// a header names the columns, in any order). Each row creates the product of its SKU or
/// replaces it. A row with <c>parent_sku</c> is an option of that product (in the file or already
/// in the catalog). The whole file is checked first: one bad line and nothing of the file is
/// stored, and every bad line is reported with its number.
/// </summary>
public sealed class CatalogImport(LeadsPeerDbContext db, CurrentMember member, CatalogService catalog, AuditLog audit, TimeProvider time)
{
    public const int MaxRows = 20_000;
    public const int MaxBytes = 5 * 1024 * 1024;
    private const int MaxReportedLines = 50;

    private static readonly string[] Columns = ["sku", "name", "description", "category", "price", "currency", "available", "stock", "parent_sku", "variant"];

    public async Task<Outcome<ImportReport>> ImportAsync(string csv, CancellationToken cancellationToken)
    {
        if (member.Refuses(Permission.ManageCatalog) is { } refused)
        {
            return refused;
        }

        List<CsvRow> rows;
        try
        {
            rows = CsvReader.ReadRows(csv.TrimStart('\uFEFF'));
        }
        catch (CsvFormatException ex)
        {
            return UseCaseError.Invalid("file", ex.Message);
        }

        if (rows.Count < 2)
        {
            return UseCaseError.Invalid("file", "The file needs a header row (sku,name,price,…) and at least one product.");
        }

        if (rows.Count - 1 > MaxRows)
        {
            return UseCaseError.Invalid("file", $"A file holds at most {MaxRows:N0} products; this one has {rows.Count - 1:N0}.");
        }

        var header = rows[0].Fields.Select(h => h.Trim().ToLowerInvariant()).ToList();
        if (header.FirstOrDefault(h => !Columns.Contains(h)) is { } unknown)
        {
            return UseCaseError.Invalid("file", $"Line 1: unknown column '{unknown}'. The columns are {string.Join(", ", Columns)}.");
        }

        if (new[] { "sku", "name", "price" }.FirstOrDefault(c => !header.Contains(c)) is { } missing)
        {
            return UseCaseError.Invalid("file", $"Line 1: the column '{missing}' is required.");
        }

        var settings = await db.OrderingSettings.SingleOrDefaultAsync(cancellationToken);
        var existing = await db.Products.ToDictionaryAsync(p => p.Sku, StringComparer.Ordinal, cancellationToken);
        var errors = new SortedDictionary<int, string>();
        var lines = new List<(int Line, ProductInput Input, long PriceMinor)>();
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        var currency = settings?.Currency;
        foreach (var row in rows.Skip(1))
        {
            string? Field(string name) => header.IndexOf(name) is >= 0 and var i && i < row.Fields.Count ? ProductRules.Clean(row.Fields[i]) : null;
            if (row.Fields.Count > header.Count)
            {
                errors[row.Line] = $"{row.Fields.Count} fields, but the header names {header.Count}.";
                continue;
            }

            var problems = new List<string>();
            var priceText = Field("price");
            decimal? price = decimal.TryParse(priceText, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var parsed) ? parsed : null;
            if (priceText is not null && price is null)
            {
                problems.Add($"the price '{priceText}' is not a number (write 12.50, with no currency sign).");
            }

            var available = Field("available")?.ToLowerInvariant() switch
            {
                null or "yes" or "y" or "true" or "1" => true,
                "no" or "n" or "false" or "0" => false,
                _ => (bool?)null,
            };
            if (available is null)
            {
                problems.Add($"available is yes or no, not '{Field("available")}'.");
            }

            int? stock = null;
            if (Field("stock") is { } stockText)
            {
                if (int.TryParse(stockText, NumberStyles.None, CultureInfo.InvariantCulture, out var counted))
                {
                    stock = counted;
                }
                else
                {
                    problems.Add($"stock is a whole number of at least 0, or empty; not '{stockText}'.");
                }
            }

            var input = new ProductInput(Field("sku"), Field("name"), Field("description"), Field("category"), price, Field("currency"),
                Available: available, Stock: stock, ParentSku: Field("parent_sku"), Variant: Field("variant"));
            // A price that is not a number is reported above; the rules check the rest of the row.
            var (invalid, priceMinor) = ProductRules.Check(priceText is not null && price is null ? input with { Price = 0 } : input, currency);
            problems.AddRange(invalid.SelectMany(e => e.Value));
            currency ??= invalid.ContainsKey("currency") ? null : input.Currency;
            if (input.Sku is { } sku && !seen.TryAdd(sku, row.Line))
            {
                problems.Add($"the SKU '{sku}' is already on line {seen[sku]}.");
            }

            if (problems.Count > 0)
            {
                errors[row.Line] = string.Join(" ", problems.Select(Sentence));
            }
            else
            {
                lines.Add((row.Line, input, priceMinor));
            }
        }

        // Options last, so their product is known whether it came from the file or the catalog.
        var products = lines.Where(l => l.Input.ParentSku is null).Select(l => l.Input.Sku!).ToHashSet(StringComparer.Ordinal);
        var options = lines.Where(l => l.Input.ParentSku is not null).Select(l => l.Input.Sku!).ToHashSet(StringComparer.Ordinal);
        foreach (var (line, input, _) in lines.Where(l => l.Input.ParentSku is not null))
        {
            var parentSku = input.ParentSku!;
            var known = products.Contains(parentSku)
                || (!options.Contains(parentSku) && existing.TryGetValue(parentSku, out var parent) && parent.ParentId is null);
            if (!known)
            {
                errors[line] = options.Contains(parentSku) || existing.ContainsKey(parentSku)
                    ? $"The product '{parentSku}' is itself an option; an option belongs to a product."
                    : $"There is no product with SKU '{parentSku}' in the file or the catalog.";
            }
        }

        if (errors.Count > 0)
        {
            var report = errors.Take(MaxReportedLines).ToDictionary(e => $"line {e.Key}", e => new[] { e.Value });
            return new UseCaseError(FailureKind.Invalid,
                $"{errors.Count} line{(errors.Count == 1 ? "" : "s")} of the file {(errors.Count == 1 ? "is" : "are")} not valid; nothing was imported.", report);
        }

        var now = time.GetUtcNow();
        int created = 0, updated = 0;
        foreach (var (_, input, priceMinor) in lines.OrderBy(l => l.Input.ParentSku is null ? 0 : 1))
        {
            if (!existing.TryGetValue(input.Sku!, out var product))
            {
                product = db.Products.Add(new Product { Sku = input.Sku!, Name = input.Name!, CreatedAt = now }).Entity;
                existing[product.Sku] = product;
                created++;
            }
            else
            {
                updated++;
            }

            var parent = input.ParentSku is { } p ? existing[p] : null;
            product.Name = input.Name!;
            product.Description = input.Description;
            product.Category = input.Category ?? parent?.Category;
            product.PriceMinor = priceMinor;
            product.Available = input.Available ?? true;
            product.Stock = input.Stock;
            product.ParentId = parent?.Id;
            product.Variant = parent is null ? null : input.Variant;
            product.UpdatedAt = now;
        }

        catalog.AdoptCurrency(settings, currency);
        audit.Record("catalog.imported", nameof(Product), null, $"{created} created, {updated} updated");
        await db.SaveChangesAsync(cancellationToken);
        return new ImportReport(created, updated);
    }

    private static string Sentence(string text) =>
        text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..] + (text.EndsWith('.') ? "" : ".");
}
