using LeadsPeer.Core.Catalog;
using LeadsPeer.Core.Orders;

namespace LeadsPeer.Core.Tests.Orders;

/// <summary>Words that ask to have an item, against words that ask about it; and which names the words hold.</summary>
public sealed class OrderingRequestTests
{
    [Theory]
    [InlineData("I want 3 croissants and a sourdough loaf")]
    [InlineData("Please deliver one chocolate fudge cake to my house tomorrow")]
    [InlineData("Can I get 2 loaves of sourdough delivered?")]
    [InlineData("1 kg chocolate fudge cake chahiye")]
    [InlineData("We'd like two red velvet cakes")]
    [InlineData("send me 6 croissants")]
    [InlineData("2 croissants please, for delivery to Model Town")] // how many first, then please
    [InlineData("Six croissants to my house in Model Town, thanks")] // how many first, then where to and thanks
    [InlineData("I'll go for two loaves of sourdough")]
    [InlineData("Could you get 3 croissants ready for noon")]
    [InlineData("Saturday ke liye red velvet cake bana dein")] // Roman Urdu: make it
    [InlineData("teen croissant aur ek sourdough pack kar dein")] // Roman Urdu: pack them
    [InlineData("One sourdough and 4 croissants for tomorrow, collect at 9")]
    [InlineData("a red velvet cake for pickup on Friday")]
    [InlineData("could you set aside 6 croissants for me")]
    [InlineData("Please put together an order for me: 2 sourdough loaves")]
    [InlineData("Put us down for a red velvet cake on Saturday")]
    [InlineData("Let me grab a kilo of red velvet for tonight")]
    [InlineData("I'm after a red velvet cake for this Friday, can you sort that?")]
    [InlineData("Keep 4 croissants aside for me, I'll pass by at 5")]
    [InlineData("Put a plain sponge in my basket")]
    [InlineData("Add 2 croissants to my cart")]
    [InlineData("do sourdough aur char croissant chahiye")] // Roman Urdu: "do" is two, not a question
    [InlineData("Mark us down for two loaves on Saturday")]
    [InlineData("Half a dozen croissants to our office please")] // how many, in dozens
    [InlineData("Could you bake a chocolate fudge cake for Sunday?")]
    [InlineData("Can you whip up a plain sponge by tonight?")]
    [InlineData("do croissant shaam tak ready kar dena")] // Roman Urdu: have two ready; "do" is two
    [InlineData("Get me 3 croissants for the morning")]
    [InlineData("We're ordering a red velvet for Saturday, pickup at 5")]
    public void A_request_to_have_something_is_one(string text) => Assert.True(OrderingRequest.IsRequest(text));

    [Theory]
    [InlineData("How early do I need to order a custom cake?")] // a question about the terms
    [InlineData("How much is a 2 kg custom cake?")]
    [InlineData("Do you have croissants?")]
    [InlineData("Can I get half a kg custom cake?")] // asks what is possible: no quantity to order
    [InlineData("I want to know the price of sourdough")]
    [InlineData("The croissants were lovely")]
    [InlineData("A quick question please: are croissants fresh daily?")] // please, but no count first
    [InlineData("2 questions please: is the sourdough vegan?")] // a question mark: asks about it
    [InlineData("6 croissants to my house, is that possible?")]
    [InlineData("Can I get a custom cake smaller than a kilo?")] // weighs one size against another: asks what is possible
    [InlineData("Is the red velvet available for delivery?")]
    [InlineData("Could you set aside some time to talk about a cake?")] // no count: not an order
    [InlineData("The croissants I bought were stale, I want my money back")] // a complaint, not an order
    [InlineData("Do croissants come warm in the morning?")] // English "do" opens a question
    [InlineData("Is the red velvet in my basket gluten free?")]
    [InlineData("Keep up the good work with the croissants")] // "keep" without how many
    [InlineData("Would you bring 2 croissants, or is that too few for a delivery?")] // asks whether it is enough
    public void A_question_or_a_remark_is_not(string text) => Assert.False(OrderingRequest.IsRequest(text));

    [Theory]
    [InlineData("I want 3 croissants and a sourdough loaf", "Croissant", true)]
    [InlineData("2 loaves of sourdough", "Sourdough loaf", true)]
    [InlineData("a choc fudge cake", "Chocolate fudge cake", true)]
    [InlineData("red velvet for Saturday", "Red velvet cake", true)] // a long name may miss one word
    [InlineData("can I get an eggless cake", "Custom cake", false)] // a short name is there whole or not at all
    [InlineData("can I get an eggless cake", "Chocolate fudge cake", false)]
    [InlineData("I need help", "Help desk hamper", false)]
    public void A_name_is_held_by_the_words_whole_or_with_one_word_missing_when_long(string text, string name, bool named) =>
        Assert.Equal(named, ProductNames.Named(ProductNames.Words(text), name));
}
