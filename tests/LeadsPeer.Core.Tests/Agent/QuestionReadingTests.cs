using LeadsPeer.Core.Agent;

namespace LeadsPeer.Core.Tests.Agent;

/// <summary>What a question asks for, the names it asks about, and the words that say what it is about.</summary>
public sealed class QuestionReadingTests
{
    [Theory]
    [InlineData("What is your phone number?", AnswerKind.Phone)]
    [InlineData("how can i call you", AnswerKind.Phone)]
    [InlineData("what's your shop's landline", AnswerKind.Phone)]
    [InlineData("Do you repair mobile phones?", AnswerKind.None)]
    [InlineData("Where is your shop?", AnswerKind.Address)]
    [InlineData("What's your address?", AnswerKind.Address)]
    [InlineData("Where is my order?", AnswerKind.None)]
    [InlineData("Where's the bakery exactly?", AnswerKind.Address)]
    [InlineData("Which road is the bakery on?", AnswerKind.Address)]
    [InlineData("Where is the cake I ordered?", AnswerKind.None)]
    [InlineData("How much is red velvet?", AnswerKind.Price)]
    [InlineData("Is the sourdough still 450 rupees?", AnswerKind.Price)] // the currency names a price
    [InlineData("till what time are you open", AnswerKind.Time)]
    [InlineData("Do you make eggless cakes?", AnswerKind.None)]
    [InlineData("How many days notice for a custom cake?", AnswerKind.Notice)]
    [InlineData("How far ahead should I tell you about a birthday cake?", AnswerKind.Notice)]
    [InlineData("How early do I need to order a custom cake?", AnswerKind.Notice)] // a span before, not a clock time
    [InlineData("Is Thursday too soon to get a custom cake made?", AnswerKind.Notice)]
    [InlineData("Is it too soon to open at 7?", AnswerKind.Time)] // too soon for something else than an order
    [InlineData("How early do you open on Sunday?", AnswerKind.Time)]
    [InlineData("How long will a sourdough loaf keep?", AnswerKind.None)] // how long it lasts, not how long ahead
    public void A_question_asks_for_a_phone_number_an_address_a_price_a_time_or_notice(string question, AnswerKind kind)
    {
        Assert.Equal(kind, AnswerKinds.Asked(question));
    }

    [Theory]
    [InlineData("You can call the shop on 042 3571 2345.", AnswerKind.Phone, true)]
    [InlineData("Orders placed before 4 pm are delivered the same day.", AnswerKind.Phone, false)]
    [InlineData("Visit us at 12 Main Boulevard, Garden Town, Lahore.", AnswerKind.Address, true)]
    [InlineData("Shop 7, Liberty Market is our second branch.", AnswerKind.Address, true)]
    [InlineData("Our shop is open Monday to Saturday.", AnswerKind.Address, false)]
    [InlineData("Croissants cost Rs. 220 each.", AnswerKind.Price, true)]
    [InlineData("Croissants are baked fresh.", AnswerKind.Price, false)]
    [InlineData("On Sundays we open at 10 am.", AnswerKind.Time, true)]
    [InlineData("On Sundays we open at 10 am.", AnswerKind.None, false)]
    [InlineData("Custom celebration cakes must be ordered at least 48 hours in advance.", AnswerKind.Notice, true)]
    [InlineData("Croissants cost Rs. 220 each.", AnswerKind.Notice, false)]
    public void A_sentence_holds_the_kind_of_fact_asked_for_or_not(string sentence, AnswerKind kind, bool holds)
    {
        Assert.Equal(holds, AnswerKinds.Holds(sentence, kind));
    }

    [Fact]
    public void Names_are_the_capitalised_words_inside_a_sentence_other_than_days_months_and_I()
    {
        Assert.Equal(["Bahria", "Town"], QuestionNames.In("Do you deliver to Bahria Town?"));
        Assert.Equal(["DHA"], QuestionNames.In("Hi. Do you deliver to DHA? I'm on Sunday's list"));
        Assert.Empty(QuestionNames.In("do you deliver to bahria town"));
        Assert.Empty(QuestionNames.In("Are you open on Friday in March?"));
        Assert.Empty(QuestionNames.In("Till what time are you open on Saturdays?"));
        Assert.Equal(["Mr", "Adams"], QuestionNames.In("Is it Mr Adams who bakes?")); // a name that ends in s stays one
    }

    [Fact]
    public void A_name_is_missing_when_no_text_mentions_it_as_a_word_or_a_word_s_start()
    {
        string[] passage = ["We deliver anywhere in Garden Town, Model Town and Johar Town. On Sundays we open at 10 am."];

        Assert.Equal("Bahria", QuestionNames.Missing("Do you deliver to Bahria Town?", passage));
        Assert.Null(QuestionNames.Missing("Do you deliver to Johar Town?", passage));
        Assert.Null(QuestionNames.Missing("Is it Sundays you open late, Garden Bakes?", [.. passage, "Garden Bakes"]));
        Assert.Equal("Bakes", QuestionNames.Missing("Is it Sundays you open late, Garden Bakes?", passage));
        // A name the passage knows by another word: the synonyms read "Ramzan" as "ramadan".
        string[] ramadan = ["During Ramadan we open from 2 pm until 1 am."];
        Assert.Equal("Ramzan", QuestionNames.Missing("What are your hours during Ramzan?", ramadan));
        Assert.Null(QuestionNames.Missing("What are your hours during Ramzan?", ramadan, name => AgentWords.Normalise(name, synonyms: null)));
        Assert.Equal("Eid", QuestionNames.Missing("What are your hours during Eid?", ramadan, name => AgentWords.Normalise(name, synonyms: null)));
    }

    [Fact]
    public void Without_its_names_a_question_keeps_what_it_asks()
    {
        Assert.Equal("Can you find me a plumber in ?", QuestionNames.Without("Can you find me a plumber in Lahore?", QuestionNames.In("Can you find me a plumber in Lahore?").Select(n => n.ToLowerInvariant()).ToHashSet()));
        Assert.Equal("Is  open?", QuestionNames.Without("Is Garden's open?", new HashSet<string> { "garden" }));
        Assert.Equal("Do you deliver?", QuestionNames.Without("Do you deliver?", new HashSet<string>()));
    }

    [Fact]
    public void The_words_a_question_is_about_leave_out_the_words_any_question_is_made_of()
    {
        Assert.Equal(["vegan", "croissants"], QuestionWords.Content("Do you have vegan croissants?"));
        Assert.Equal(["sponge", "cake"], QuestionWords.Content("sponge cake ki price kya hai"));
        Assert.Empty(QuestionWords.Content("What is your phone number?"));
        Assert.Empty(QuestionWords.Content("Your landline number?"));
        Assert.Equal(["bank", "transfer", "cash"], QuestionWords.Content("Can I do a bank transfer instead of cash?"));
        Assert.Equal(["shop"], QuestionWords.Content("Where is the shop exactly?"));
        Assert.Equal(["cakes", "sweet"], QuestionWords.Content("Which of your cakes is the least sweet?")); // "least" asks how, as "most" does
        Assert.True(QuestionWords.IsQuestion("what time is the bread ready in the morning"));
        Assert.True(QuestionWords.IsQuestion("The bread, is it fresh?"));
        Assert.False(QuestionWords.IsQuestion("My delivery came two hours late yesterday"));
        Assert.Equal(["order", "cupcakes"], QuestionWords.Content("Can I order 50 cupcakes today?"));
        // Roman Urdu: "until when" is how it asks; "khula" is read as "open".
        Assert.Equal(["ramadan", "open"], QuestionWords.Content(AgentWords.Normalise("Ramadan mein kab tak khula hai?", null)));
        // "Which areas?" asks where, as "which places?" does: the knowledge names the places themselves.
        Assert.Equal(["deliver"], QuestionWords.Content("Which areas do you deliver to?"));
    }

    [Theory]
    [InlineData("Does the delivery boy carry a card machine?", true)]
    [InlineData("My niece reacts badly to peanuts, are your cakes made near them?", true)]
    [InlineData("Will my order reach me today if I place it at 1 pm?", true)]
    [InlineData("kya aap Model Town mein deliver karte hain?", true)]
    [InlineData("How long will a sourdough loaf keep?", false)]
    [InlineData("When is the bread ready?", false)]
    [InlineData("ek kilo red velvet ke kitne paise?", false)]
    [InlineData("Two red velvet cakes for Sunday evening, to be collected", false)]
    public void A_question_asking_yes_or_no_is_told_from_one_asking_for_a_thing(string question, bool yesOrNo) =>
        Assert.Equal(yesOrNo, QuestionWords.IsYesNo(question));
}
