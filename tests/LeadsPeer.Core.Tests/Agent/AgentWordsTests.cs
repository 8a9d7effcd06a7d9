using LeadsPeer.Core.Agent;

namespace LeadsPeer.Core.Tests.Agent;

/// <summary>The business's word tables: read, written one a line, and applied to a customer's words.</summary>
public sealed class AgentWordsTests
{
    private static readonly Dictionary<string, IReadOnlyList<string>> Bakery = new(StringComparer.OrdinalIgnoreCase) { ["cake tasting"] = ["chakhna", "sampling"] };

    [Fact]
    public void The_common_words_and_the_business_s_own_are_read_as_what_they_stand_for()
    {
        Assert.Equal("what are your opening hours in ramadan?", AgentWords.Normalise("What are your timings in Ramadan?", null));
        Assert.Equal("can i book a cake tasting", AgentWords.Normalise("Can I book a sampling", Bakery));
        // Whole words only: "timingsheet" is not "timings".
        Assert.Equal("timingsheet", AgentWords.Normalise("Timingsheet", null));
        // Spellings of Ramadan, Roman Urdu "my", and the rider who delivers.
        Assert.Equal("what are your hours during ramadan?", AgentWords.Normalise("What are your hours during Ramzan?", null));
        Assert.Equal("my booking kab hai?", AgentWords.Normalise("meri booking kab hai?", null));
        Assert.Equal("can i pay by card when the delivery comes?", AgentWords.Normalise("Can I pay by card when the rider comes?", null));
        Assert.Equal("what time do you close on weekdays? sunday ko kab tak open ho?", AgentWords.Normalise("what time do you shut on weekdays? sunday ko kab tak khule ho?", null));
        // Roman Urdu "lete hain" (take, as a payment) and "chakhne" (to taste).
        Assert.Equal("kya aap credit card accept?", AgentWords.Normalise("kya aap credit card lete hain?", null));
        Assert.Equal("cake tasting ke liye aana hai", AgentWords.Normalise("cake chakhne ke liye aana hai", null));
        // "Going for" asks a price; "call off" is to cancel; a cake that arrives is delivered.
        Assert.Equal("what is a loaf how much now?", AgentWords.Normalise("what is a loaf going for now?", null));
        Assert.Equal("can i cancel my order?", AgentWords.Normalise("can I call off my order?", null));
        Assert.Equal("can i pay when it delivery?", AgentWords.Normalise("can I pay when it arrives?", null));
        // Roman Urdu "band karte" (close), "khatam kar" (end, of a booking); bringing an order over is delivering it.
        Assert.Equal("sunday ko kitne baje close ho?", AgentWords.Normalise("sunday ko kitne baje band karte ho?", null));
        Assert.Equal("appointment cancel dein", AgentWords.Normalise("appointment khatam kar dein", null));
        Assert.Equal("anything extra for delivery?", AgentWords.Normalise("anything extra for bringing it over?", null));
        // Walking in is coming when the shop is open; an egg-free cake is an eggless one.
        Assert.Equal("how late can i open?", AgentWords.Normalise("how late can I walk in?", null));
        Assert.Equal("an eggless cake", AgentWords.Normalise("an egg-free cake", null));
        // The fasting month and Roman-Urdu "roza" are Ramadan; at the door is a delivery.
        Assert.Equal("ramadan ke dino mein opening hours?", AgentWords.Normalise("roza ke dino mein timing?", null));
        Assert.Equal("your hours in the ramadan?", AgentWords.Normalise("your hours in the fasting month?", null));
        Assert.Equal("can you drop a cake delivery?", AgentWords.Normalise("can you drop a cake at my door?", null));
        // A word of the table with its plural ending; a change of mind is a cancellation; Roman-Urdu "hamari" (our).
        Assert.Equal("do your delivery come to model town?", AgentWords.Normalise("Do your riders come to Model Town?", null));
        Assert.Equal("if i cancel, will i lose money?", AgentWords.Normalise("If I change my mind, will I lose money?", null));
        Assert.Equal("my tasting kab hai?", AgentWords.Normalise("hamari tasting kab hai?", null));
        // Sehri and iftar are Ramadan's meals; Roman-Urdu "kab se kab tak" (from when until when) asks the hours.
        Assert.Equal("ramadan ke waqt open ho?", AgentWords.Normalise("sehri ke waqt khule ho?", null));
        Assert.Equal("sunday ko opening hours?", AgentWords.Normalise("sunday ko kab se kab tak?", null));
        // "Kitne rupay" asks a price; a bank app sends a bank transfer; a number is dialled to call it; made to order is custom.
        Assert.Equal("ek croissant how much ka?", AgentWords.Normalise("ek croissant kitne rupay ka?", null));
        Assert.Equal("can i pay from my bank transfer?", AgentWords.Normalise("can I pay from my bank app?", null));
        Assert.Equal("what number do i call?", AgentWords.Normalise("what number do I dial?", null));
        Assert.Equal("a custom cake for friday", AgentWords.Normalise("a made-to-order cake for Friday", null));
        // "What's the damage" asks a price, "kitni der tak" (until how late) the hours; pulling out is cancelling; a card is swiped to pay.
        Assert.Equal("two croissants, how much?", AgentWords.Normalise("two croissants, what's the damage?", null));
        Assert.Equal("friday ko opening hours open?", AgentWords.Normalise("friday ko kitni der tak open?", null));
        Assert.Equal("we need to cancel the tasting", AgentWords.Normalise("we need to pull out of the tasting", null));
        Assert.Equal("can i pay with a credit card?", AgentWords.Normalise("can I swipe a credit card?", null));
        Assert.Equal("a sponge with eggless, please", AgentWords.Normalise("a sponge with no egg, please", null));
        // "What's the latest" asks how late; walking through the door is coming when the shop is open.
        Assert.Equal("how late on saturday?", AgentWords.Normalise("what's the latest on Saturday?", null));
        Assert.Equal("when can i open?", AgentWords.Normalise("when can I walk through the door?", null));
    }

    [Fact]
    public void A_search_keeps_the_customer_s_words_and_adds_what_they_stand_for()
    {
        Assert.Equal("sourdough kitne ki hai? (how much)", AgentWords.Expand("sourdough kitne ki hai?", null));
        Assert.Equal("Is sampling free? (cake tasting)", AgentWords.Expand("Is sampling free?", Bakery));
        Assert.Equal("Do you deliver?", AgentWords.Expand("Do you deliver?", Bakery));
        // Trying the flavours is a tasting, money sent to the account a bank transfer, a kilo a kg.
        Assert.Equal("Can we try a few flavours first? (tasting)", AgentWords.Expand("Can we try a few flavours first?", null));
        Assert.Equal("Can I pay into your account? (bank transfer)", AgentWords.Expand("Can I pay into your account?", null));
        Assert.Equal("red velvet ka ek kilo? (kg)", AgentWords.Expand("red velvet ka ek kilo?", null));
        Assert.Equal("We want to sample some cakes (tasting)", AgentWords.Expand("We want to sample some cakes", null));
        Assert.Equal("dukaan kahan hai? (shop)", AgentWords.Expand("dukaan kahan hai?", null));
        // A card's brand is a card; what a thing "sets me back" is its price; Roman-Urdu "pohncha" is bringing it over.
        Assert.Equal("Is Visa fine? (card)", AgentWords.Expand("Is Visa fine?", null));
        Assert.Equal("what would it set me back? (how much)", AgentWords.Expand("what would it set me back?", null));
        Assert.Equal("ghar pe pohncha sakte ho? (delivery)", AgentWords.Expand("ghar pe pohncha sakte ho?", null));
        Assert.Equal("a personalised cake (custom)", AgentWords.Expand("a personalised cake", null));
        // A business's word under three letters takes no plural ending: "us" is not "u".
        var chat = new Dictionary<string, IReadOnlyList<string>> { ["you"] = ["u"] };
        Assert.Equal("can you book us in?", AgentWords.Normalise("can u book us in?", chat));
    }

    [Fact]
    public void A_table_written_one_entry_a_line_reads_back_and_a_line_without_its_equals_sign_is_named()
    {
        var (table, refusal) = AgentWords.FromLines("opening hours = timings, waqt\n\n cake tasting = sampling ");
        var (_, bad) = AgentWords.FromLines("opening hours = timings\ntimings waqt");

        Assert.Null(refusal);
        Assert.Equal(["timings", "waqt"], table!["opening hours"]);
        Assert.Equal("opening hours = timings, waqt\ncake tasting = sampling", AgentWords.ToLines(table));
        Assert.StartsWith("Line 2:", bad);
    }

    [Fact]
    public void A_table_is_stored_trimmed_without_repeats_and_refused_by_entry_when_it_does_not_fit()
    {
        var stored = AgentWords.Parse(AgentWords.Write(new Dictionary<string, IReadOnlyList<string>> { [" book "] = ["tasting", "Tasting ", " "] }));
        var errors = new Dictionary<string, string[]>();
        AgentWords.Check("flowTriggers", new Dictionary<string, IReadOnlyList<string>> { ["book"] = ["ok"], ["juggle"] = ["x"] }, errors, ["book"]);
        AgentWords.Check("synonyms", new Dictionary<string, IReadOnlyList<string>> { ["hours"] = [.. Enumerable.Repeat("w", AgentWords.MaxWordsPerEntry + 1)] }, errors);

        Assert.Equal(["tasting"], stored["book"]);
        Assert.Equal(["flowTriggers.juggle", "synonyms.hours"], errors.Keys.Order());
        Assert.Empty(AgentWords.Parse("not json"));
    }

    [Fact]
    public void Settings_read_their_tables_again_when_the_text_changes()
    {
        var settings = new AgentSettings { Synonyms = """{"opening hours": ["timings"]}""" };
        var before = settings.SynonymTable();
        settings.Synonyms = """{"delivery": ["home drop"]}""";

        Assert.True(before.ContainsKey("opening hours"));
        Assert.Equal(["delivery"], settings.SynonymTable().Keys);
        Assert.Same(settings.SynonymTable(), settings.SynonymTable());
    }
}
