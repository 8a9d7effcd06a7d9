using LeadsPeer.Core.Orders;

namespace LeadsPeer.Core.Tests.Orders;

/// <summary>How typed words are read as items: how many, and the words that may name each.</summary>
public sealed class OrderingShortcutTests
{
    [Theory]
    [InlineData("3 croissants and a sourdough loaf", "3 croissants | 1 sourdough loaf")]
    [InlineData("I'd like to order 2 fudge cakes, 1 red velvet please", "2 fudge cakes | 1 red velvet")]
    [InlineData("2 croissant aur 1 loaf", "2 croissant | 1 loaf")]
    [InlineData("a chocolate fudge cake 2 kg", "1 chocolate fudge cake 2 kg")] // one item: "2 kg" is its size
    [InlineData("2 kilo chocolate fudge cake", "? 2 kilo chocolate fudge cake")] // a size in "kilo" too, not two cakes
    [InlineData("croissants & sourdough", "? croissants | ? sourdough")] // no quantities: the flow reads these as one item
    [InlineData("I'd like to order, thanks", "")]
    [InlineData("do sourdough aur char croissant chahiye", "2 sourdough | 4 croissant")] // Roman Urdu: "do" opening an item is two
    [InlineData("teen croissant bhijwa dein", "3 croissant")]
    [InlineData("do you have croissants", "? do croissants")] // English "do" is not a number
    public void Several_items_are_read_part_by_part(string text, string expected) =>
        Assert.Equal(expected, string.Join(" | ", OrderingShortcut.ReadSeveral(text, ["order"]).Select(p => $"{p.Quantity?.ToString() ?? "?"} {p.Text}")));
}
