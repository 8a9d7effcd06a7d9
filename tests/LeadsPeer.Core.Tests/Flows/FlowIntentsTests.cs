using LeadsPeer.Core.Agent;
using LeadsPeer.Core.Bookings;
using LeadsPeer.Core.Flows;

namespace LeadsPeer.Core.Tests.Flows;

/// <summary>Which flow a customer's words ask for: the flows' phrases, the business's own, its synonyms, and a slip in a long word.</summary>
public sealed class FlowIntentsTests
{
    // Only the name and the phrases take part in matching; a flow's steps are not run here.
    private sealed class Phrases(string name, params string[] triggers) : IGuidedFlow
    {
        public string Name => name;

        public bool LeavesTermsToKnowledge => name is "order" or "book";

        public IReadOnlyList<string> Triggers => triggers;

        public Task<FlowStep?> StartAsync(FlowContext context, CancellationToken cancellationToken) => throw new InvalidOperationException("Not run by matching.");

        public Task<FlowStep.Ask> QuestionAsync(FlowContext context, string step, IReadOnlyDictionary<string, string> data, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("Not run by matching.");

        public Task<FlowStep> AnswerAsync(FlowContext context, string step, FlowAnswer answer, IReadOnlyDictionary<string, string> data, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("Not run by matching.");
    }

    private static readonly IGuidedFlow[] Flows =
    [
        new Phrases("order", "to order", "place an order"),
        new Phrases("book", "book an appointment", "make an appointment", "slots free"),
        new Phrases("my-bookings", "my appointment", "my * appointment"),
        new TalkToPersonFlow(),
    ];

    [Theory]
    [InlineData("I'd like to order a cake", "order")]
    [InlineData("mujhe 2 croissant order karne hain", "order")] // Roman Urdu, by the common table
    [InlineData("cake mangwana hai", "order")]
    [InlineData("I want to make an apointment", "book")] // a misspelling in a long word
    [InlineData("appointment chahiye", "book")]
    [InlineData("I need help from customer care", TalkToPersonFlow.FlowName)]
    [InlineData("Who should I speak to about my order?", TalkToPersonFlow.FlowName)]
    [InlineData("Please call me back about my order", TalkToPersonFlow.FlowName)]
    [InlineData("I need help from someone at the office", TalkToPersonFlow.FlowName)]
    [InlineData("Where do I send feedback to the owner?", TalkToPersonFlow.FlowName)]
    [InlineData("What's in your cakes?", null)]
    [InlineData("I want to border a cake", null)] // short words must be spelt right: "border" is not "order"
    [InlineData("", null)]
    [InlineData("How early do I need to order a custom cake?", null)] // a question about ordering's terms: the knowledge answers it
    [InlineData("How many days in advance should I book an appointment?", null)]
    [InlineData("Do I need to order by phone?", null)]
    [InlineData("How do I place an order?", "order")] // asking the way in is asking to begin
    [InlineData("Can I talk to the team, how early do you open?", TalkToPersonFlow.FlowName)]
    [InlineData("Please cancel my tasting appointment", "my-bookings")] // "my * appointment": any one word between
    [InlineData("Cancel my appointment", "my-bookings")]
    [InlineData("Cancel my order", null)] // not a booking: "*" is one word, not none
    [InlineData("Any slots free on Saturday?", "book")]
    [InlineData("How can I get in touch with your support team?", TalkToPersonFlow.FlowName)] // only ordering and booking leave terms to the knowledge
    [InlineData("Can you put me in contact with support?", TalkToPersonFlow.FlowName)]
    [InlineData("I have an issue, who can help me?", TalkToPersonFlow.FlowName)]
    [InlineData("Where can I raise a problem with my order?", TalkToPersonFlow.FlowName)]
    [InlineData("How can I reach your team?", TalkToPersonFlow.FlowName)]
    [InlineData("How do I get hold of someone at the bakery?", TalkToPersonFlow.FlowName)]
    [InlineData("Can someone from the bakery get back to me?", TalkToPersonFlow.FlowName)]
    [InlineData("How do I contact the bakery staff?", TalkToPersonFlow.FlowName)] // "*": one word between
    [InlineData("I'd like someone from support to help me", TalkToPersonFlow.FlowName)]
    [InlineData("Who handles problems with orders?", TalkToPersonFlow.FlowName)]
    [InlineData("staff wale se baat ho sakti hai?", TalkToPersonFlow.FlowName)] // Roman Urdu: the staff
    [InlineData("koi staff member hai jo abhi reply kar sake?", TalkToPersonFlow.FlowName)]
    [InlineData("Is anyone from the bakery around to chat?", TalkToPersonFlow.FlowName)]
    [InlineData("Can I have the number of someone in charge?", TalkToPersonFlow.FlowName)]
    [InlineData("bhai aapke incharge ka number de do", TalkToPersonFlow.FlowName)]
    [InlineData("Is there a way to reach whoever runs the bakery?", TalkToPersonFlow.FlowName)]
    [InlineData("I'd like to give feedback on my visit", TalkToPersonFlow.FlowName)]
    [InlineData("Who looks after delivery problems?", TalkToPersonFlow.FlowName)]
    [InlineData("aapki team se rabta kaise hoga?", TalkToPersonFlow.FlowName)] // Roman Urdu: contact with the team
    [InlineData("The rider was rude, where do I report that?", TalkToPersonFlow.FlowName)]
    [InlineData("Is there a supervisor I can explain my problem to?", TalkToPersonFlow.FlowName)]
    [InlineData("office mein kisi se contact ho sakta hai?", TalkToPersonFlow.FlowName)] // Roman Urdu: can I contact someone
    [InlineData("Could someone from the shop give me a call?", TalkToPersonFlow.FlowName)]
    [InlineData("shikayat darj karwani hai", TalkToPersonFlow.FlowName)] // Roman Urdu: a complaint to file
    [InlineData("I need help from an actual employee about my order", TalkToPersonFlow.FlowName)]
    [InlineData("The cake came squashed, who will look into this?", TalkToPersonFlow.FlowName)]
    [InlineData("I'd like to have a word with the manager", TalkToPersonFlow.FlowName)]
    [InlineData("bakery ka koi zimmedar hai?", TalkToPersonFlow.FlowName)] // Roman Urdu: anyone responsible
    [InlineData("Where do I leave a review of my order?", TalkToPersonFlow.FlowName)]
    [InlineData("I need someone to look into my refund", TalkToPersonFlow.FlowName)]
    [InlineData("manager se baat karni hai", TalkToPersonFlow.FlowName)] // Roman Urdu: I want to talk with the manager
    [InlineData("Is one of your bakers around to chat?", TalkToPersonFlow.FlowName)]
    [InlineData("I want to lodge a formal grievance", TalkToPersonFlow.FlowName)]
    [InlineData("koi senior mujh se baat kar le", TalkToPersonFlow.FlowName)] // Roman Urdu: someone senior to talk with me
    [InlineData("The wrong cake came, who should we reach out to?", TalkToPersonFlow.FlowName)]
    [InlineData("Could you put us in touch with the head baker?", TalkToPersonFlow.FlowName)]
    public void Words_name_the_flow_they_ask_for(string text, string? flow)
    {
        Assert.Equal(flow, FlowIntents.Named(Flows, text, settings: null)?.Name);
    }

    [Theory]
    [InlineData("Do I have any bookings with you?", true)]
    [InlineData("do i have an apointment this week", true)]
    [InlineData("When is my appointment?", true)]
    [InlineData("meri booking kab hai?", true)] // Roman Urdu "meri": my
    [InlineData("tasting wali appointment khatam kar dein", true)] // Roman Urdu, the verb last: cancel the appointment
    [InlineData("Do I have to book in advance?", false)]
    [InlineData("I want to book an appointment", false)]
    public void Asking_whether_one_has_a_booking_opens_the_customer_s_own_bookings(string text, bool named)
    {
        // The phrases are the flow's own; reading them needs nothing of the database.
        var myBookings = new MyBookingsFlow(null!, null!, TimeProvider.System);
        Assert.Equal(named, FlowIntents.Names(myBookings, text, settings: null));
    }

    [Fact]
    public void A_business_s_own_phrases_and_synonyms_start_its_flows_and_no_one_else_s()
    {
        var bakery = new AgentSettings
        {
            FlowTriggers = """{"book": ["cake tasting"]}""",
            Synonyms = """{"cake tasting": ["chakhna"]}""",
        };

        Assert.Equal("book", FlowIntents.Named(Flows, "Can I come for a cake tasting?", bakery)?.Name);
        Assert.Equal("book", FlowIntents.Named(Flows, "cake chakhna hai", bakery)?.Name);
        Assert.Null(FlowIntents.Named(Flows, "Can I come for a cake tasting?", new AgentSettings()));
        Assert.True(FlowIntents.Names(Flows[1], "a cake tasting please", bakery));
    }

    [Theory]
    [InlineData("Book us in to sample your wedding cakes", true)] // no service named: the phrase alone asks
    [InlineData("Can you book me in on Friday?", true)]
    [InlineData("I left a book in your shop", false)]
    public void Booking_starts_on_its_own_phrases(string text, bool starts) =>
        Assert.Equal(starts, FlowIntents.Names(new BookingFlow(null!, null!, TimeProvider.System), text, null));
}
