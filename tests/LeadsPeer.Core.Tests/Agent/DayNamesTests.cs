using LeadsPeer.Core.Agent;

namespace LeadsPeer.Core.Tests.Agent;

/// <summary>The days a text names, as opening hours are written.</summary>
public sealed class DayNamesTests
{
    [Theory]
    [InlineData("What time do you close on Saturdays?", "5")]
    [InlineData("open sun morning?", "6")]
    [InlineData("Our shop is open Monday to Saturday from 8 am to 10 pm.", "0 1 2 3 4 5")]
    [InlineData("Mon–Fri 9–5, Sat 10–2", "0 1 2 3 4 5")]
    [InlineData("We open Friday till Monday", "0 4 5 6")] // a range across the week's end
    [InlineData("Thursdays and Wednesdays", "2 3")]
    [InlineData("Delivery costs Rs. 200 for orders under Rs. 2,000.", "")]
    [InlineData("what time do you shut on weekdays?", "0 1 2 3 4")]
    [InlineData("Open all weekend", "5 6")]
    public void The_days_named_ranges_included(string text, string expected) =>
        Assert.Equal(expected, string.Join(' ', DayNames.In(text).Order()));

    [Theory]
    [InlineData("friday", true)]
    [InlineData("Fridays", true)]
    [InlineData("thu", true)]
    [InlineData("sun", false)] // "sun hats": a word of its own
    [InlineData("sat", false)]
    [InlineData("fridge", false)]
    [InlineData("weekdays", true)]
    [InlineData("weekend", true)]
    [InlineData("monday's", false)] // one word, as the question's words are read
    public void One_word_is_a_day_s_name_unless_it_is_a_word_of_its_own(string word, bool day) =>
        Assert.Equal(day, DayNames.IsDay(word));

    [Theory]
    [InlineData("On Sundays we open at 10 am and close at 6 pm.", true)]
    [InlineData("During Ramadan we open from 2 pm until 1 am.", true)]
    [InlineData("We close early on public holidays.", true)]
    [InlineData("Our shop is open Monday to Saturday from 8 am to 10 pm.", false)] // the usual week
    [InlineData("Fresh bread is baked every morning at 6 am.", false)]
    public void A_sentence_about_one_or_two_days_or_a_season_is_an_exception(string sentence, bool exception) =>
        Assert.Equal(exception, DayNames.IsSpecialCase(sentence));

    [Theory]
    [InlineData("Till when are you open tonight?", false)]
    [InlineData("are you open on friday?", true)]
    [InlineData("roza ke dino mein timing kya hai?", true)]
    [InlineData("What are your Eid hours?", true)]
    [InlineData("How much is a holiday hamper?", true)] // names an occasion: its exception may answer
    [InlineData("How early do you open?", false)]
    public void A_question_names_when_by_a_day_a_season_or_an_occasion(string question, bool names) =>
        Assert.Equal(names, DayNames.NamesWhen(question));
}
