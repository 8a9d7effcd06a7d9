using LeadsPeer.Core.Bookings;

namespace LeadsPeer.Core.Tests.Bookings;

/// <summary>Words that ask to come for a service, against words that ask about it; which services they name; and "my" before one.</summary>
public sealed class BookingRequestTests
{
    private static readonly BookableService[] Services =
    [
        new() { Name = "Cake consultation" },
        new() { Name = "Cake tasting" },
        new() { Name = "Kids baking class" },
        new() { Name = "Adults baking class" },
    ];

    [Theory]
    [InlineData("I'd like to come in for a cake consultation")]
    [InlineData("Any free time for a tasting next week?")]
    [InlineData("Do you have openings on Saturday for a consultation?")]
    [InlineData("Is a tasting available tomorrow evening")]
    [InlineData("We want a tasting for 2 people")]
    [InlineData("Do you have time for a consultation on Wednesday afternoon?")]
    [InlineData("Sign me up for a tasting this Friday")]
    [InlineData("Is Tuesday free for a cake consultation?")] // a day that is free: a time asked for
    [InlineData("Any space on Thursday for a consultation?")]
    [InlineData("hum tasting ke liye aana chahte hain")] // Roman Urdu: we want to come
    [InlineData("Saturday ko tasting rakh dein")] // Roman Urdu: set it for Saturday
    [InlineData("agle hafte consultation ka waqt de dein")] // Roman Urdu: give a time next week
    [InlineData("Next Tuesday evening, could we come for the tasting?")]
    [InlineData("Can we pop in for a tasting on Thursday?")]
    [InlineData("Put me in for the tasting on Wednesday")]
    [InlineData("any tasting spots left on Saturday?")] // one word between "any" and the spots
    [InlineData("Can we see the baker about a consultation on Monday?")]
    [InlineData("Is there room for two of us at a tasting on Sunday?")]
    [InlineData("tasting ke liye kal aa jayein?")] // Roman Urdu: may we come
    [InlineData("parson subah cake tasting karwa sakte hain?")] // Roman Urdu: can we have one
    [InlineData("Looking to arrange a cake consultation, what days work?")]
    [InlineData("tasting agle mangal ko fix kar dein")] // Roman Urdu: set it for next Tuesday
    [InlineData("Can we sit down with your decorator about a consultation?")]
    [InlineData("Saturday ko consultation ka time mil jayega?")] // Roman Urdu: can we get a time
    [InlineData("Can we arrange to taste the cakes on Friday?")]
    public void A_request_to_come_is_one(string text) => Assert.True(BookingRequest.IsRequest(text));

    [Theory]
    [InlineData("How much is a cake tasting?")]
    [InlineData("How long does a consultation take?")]
    [InlineData("What is a cake consultation?")]
    [InlineData("The tasting was lovely, thank you")]
    [InlineData("The consultation was wrong, I want my money back")] // a refund asked for: the team answers
    [InlineData("Is the consultation free?")] // its price, not a free time
    public void A_question_about_a_service_or_a_remark_is_not(string text) => Assert.False(BookingRequest.IsRequest(text));

    [Theory]
    [InlineData("I'd like to come in for a cake consultation", "Cake consultation")]
    [InlineData("Any free time for a tasting next week?", "Cake tasting")] // the kind alone: no other service ends with it
    [InlineData("book the kids baking class please", "Kids baking class")]
    [InlineData("a baking class on Sunday", "Kids baking class, Adults baking class")] // both: the flow asks which
    [InlineData("any classes on Sunday?", "")] // "class" ends two names: it tells neither apart
    [InlineData("any free time on Friday?", "")]
    public void The_services_named_are_those_whose_whole_name_or_own_kind_is_there(string text, string expected) =>
        Assert.Equal(expected, string.Join(", ", BookingRequest.Named(text, Services).Select(s => s.Name)));

    [Theory]
    [InlineData("I have to cancel my consultation on Friday", true)]
    [InlineData("Can we change my cake tasting to a later time?", true)] // one word between
    [InlineData("What time is my tasting?", true)]
    [InlineData("Can I come in for a consultation about my wedding cake?", false)] // "my" before something else
    [InlineData("I'd like a tasting", false)]
    [InlineData("Do I still have a consultation booked with you?", true)] // asked whether one is there
    [InlineData("Do I have to book a tasting?", false)]
    [InlineData("We won't make it to our tasting, please remove it", true)] // "our" as "my"
    [InlineData("I need to call off the consultation I booked", true)] // the one "I booked"
    [InlineData("Can we move the cake tasting we booked?", true)]
    [InlineData("Which day did I pick for the tasting?", true)] // the one "I picked"
    [InlineData("Did we book a consultation for Friday?", true)]
    [InlineData("Remind me what time I'm down for the tasting", true)]
    [InlineData("We no longer need the consultation we set up", true)]
    [InlineData("When is the consultation I've got with you?", true)]
    [InlineData("I won't be able to attend the tasting, please remove me", true)]
    [InlineData("I can't make the consultation on Friday", true)]
    [InlineData("I'll be late for the consultation, can we make it later?", true)]
    [InlineData("Friday's tasting won't work for us anymore", true)] // a day's: the one booked for it
    [InlineData("Please remove the consultation under our name", true)] // the one in our name
    [InlineData("Sorry, we need to postpone the tasting", true)] // the one to move is theirs
    [InlineData("consultation ka waqt badalna hai", true)] // Roman Urdu: the consultation's time to change
    [InlineData("tasting ka time kya hota hai?", false)] // Roman Urdu: asks when tastings are, not of one booked
    [InlineData("I booked the consultation last year and loved it, can I book a tasting?", false)] // "the … I booked" only in that order
    public void My_before_a_service_speaks_of_the_customers_own_booking(string text, bool own) =>
        Assert.Equal(own, BookingRequest.NamesOwn(text, Services));
}
