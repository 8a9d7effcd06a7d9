using System.Collections.Frozen;
using System.Globalization;

namespace LeadsPeer.Core.Catalog;

/// <summary>
/// Amounts in a currency's minor units (cents, paisa, fils), so totals add up exactly. ISO 4217
/// gives each currency its number of decimals: a price with more decimals than its currency has
/// (1.005 USD, 10.5 JPY) is refused rather than rounded, because rounding a business's price
/// list silently changes what its customers pay.
/// </summary>
public static class Money
{
    // ISO 4217 minor units of the currencies in use; most have 2, these differ.
    private static readonly FrozenDictionary<string, int> NotTwo = new Dictionary<string, int>
    {
        ["BIF"] = 0, ["CLP"] = 0, ["DJF"] = 0, ["GNF"] = 0, ["ISK"] = 0, ["JPY"] = 0, ["KMF"] = 0, ["KRW"] = 0, ["PYG"] = 0,
        ["RWF"] = 0, ["UGX"] = 0, ["UYI"] = 0, ["VND"] = 0, ["VUV"] = 0, ["XAF"] = 0, ["XOF"] = 0, ["XPF"] = 0,
        ["BHD"] = 3, ["IQD"] = 3, ["JOD"] = 3, ["KWD"] = 3, ["LYD"] = 3, ["OMR"] = 3, ["TND"] = 3,
    }.ToFrozenDictionary();

    private static readonly FrozenSet<string> Known = CultureInfo.GetCultures(CultureTypes.SpecificCultures)
        .Select(c => { try { return new RegionInfo(c.Name).ISOCurrencySymbol; } catch (ArgumentException) { return null; } })
        .OfType<string>().Where(c => c.Length == 3).Concat(NotTwo.Keys).ToFrozenSet(StringComparer.Ordinal);

    /// <summary>Whether <paramref name="currency"/> is an ISO 4217 code in use (upper case, e.g. PKR, USD).</summary>
    public static bool IsCurrency(string? currency) => currency is { Length: 3 } && Known.Contains(currency);

    public static int Decimals(string currency) => NotTwo.GetValueOrDefault(currency, 2);

    /// <summary>An amount written by a person ("1250", "12.50") in minor units, or why it cannot be one.</summary>
    public static (long? Minor, string? Error) Parse(string? text, string currency)
    {
        if (!decimal.TryParse(text?.Trim(), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount))
        {
            return (null, "Write the price as a number, e.g. 12.50 (no currency sign, no thousands separator).");
        }

        return ToMinor(amount, currency);
    }

    /// <summary>An amount in minor units, or why it cannot be one (negative, too many decimals, too large).</summary>
    public static (long? Minor, string? Error) ToMinor(decimal amount, string currency)
    {
        if (amount < 0)
        {
            return (null, "A price cannot be negative.");
        }

        var decimals = Decimals(currency);
        var scaled = amount * Pow10(decimals);
        if (scaled != decimal.Truncate(scaled))
        {
            return (null, decimals == 0 ? $"{currency} has no decimals." : $"{currency} has {decimals} decimals at most.");
        }

        return scaled > MaxMinor ? (null, "The price is too large.") : ((long)scaled, null);
    }

    /// <summary>The largest amount accepted: far beyond any order, small enough that no sum of lines overflows.</summary>
    public const long MaxMinor = 1_000_000_000_000;

    public static decimal ToAmount(long minor, string currency) => minor / Pow10(Decimals(currency));

    /// <summary>As a customer reads it: "PKR 1,250.00".</summary>
    public static string Format(long minor, string currency) =>
        $"{currency} {ToAmount(minor, currency).ToString("N" + Decimals(currency), CultureInfo.InvariantCulture)}";

    private static decimal Pow10(int decimals) => decimals switch { 0 => 1m, 3 => 1000m, _ => 100m };
}
