using LeadsPeer.Core.Conversations.Interactive;

namespace LeadsPeer.Core.Flows;

/// <summary>
/// "Talk to a person", with the reason chosen from three buttons, so the team knows what the
/// conversation is about before opening it. Started by phrases such as "customer service"; a
/// customer who names a person outright ("a human please", "talk to someone") is handed over at
/// once, without it.
/// </summary>
public sealed class TalkToPersonFlow : IGuidedFlow
{
    public const string FlowName = "talk-to-person";
    private const string ReasonStep = "reason";

    private static readonly (string Id, string Title, string[] Words)[] Reasons =
    [
        ("order", "Order problem", ["order", "delivery", "parcel", "refund"]),
        ("booking", "Booking", ["booking", "book", "appointment", "reservation"]),
        ("other", "Something else", ["else", "other", "something"]),
    ];

    public string Name => FlowName;

    public IReadOnlyList<string> Triggers { get; } =
        ["talk to the team", "contact the team", "customer service", "customer support", "contact support", "your support", "support team", "get in touch with", "who do i contact", "who should i contact",
         "who do i talk to", "who should i talk to", "who can i talk to", "who do i speak to", "who should i speak to", "who can i speak to", "who can help me", "in contact with", "reach your team", "reach the team", "reach someone",
         "raise a problem", "raise an issue", "report a problem", "report an issue", "get hold of", "get back to me", "call me back", "ring me back",
         "contact the staff", "contact your staff", "contact the * staff", "someone from support", "someone from your team", "who handles", "who deals with",
         "someone at the", "someone at your", "help from someone", "assistance from someone", "feedback to", "give feedback", "feedback on", "feedback about", "your management",
         "who looks after", "who takes care of", "se rabta", "rabta karna", "rabta karni", "rabta ho",
         "where do i report", "where can i report", "where should i report", "how do i report", "how can i report",
         "supervisor i can", "manager i can", "someone i can", "somebody i can", "kisi se contact",
         "give me a call", "give us a call", "someone from the", "help from an actual", "help from a real", "shikayat", "shikayet", "shikait",
         "anyone from the", "anyone from your", "anybody from the", "anybody from your", "in charge", "incharge", "whoever runs", "who runs the", "reach whoever",
         "staff wale", "staff walay", "staff walon", "staff se baat", "koi staff", "staff member hai",
         "who can look into", "who will look into", "someone look into", "have a word with", "zimmedar", "zimmadar", "jis se baat", "leave a review", "complaint for the",
         "someone to look into", "se baat karni", "se baat karna",
         "around to chat", "around to talk", "lodge a", "grievance", "mujh se baat", "mujhse baat", "se baat kare", "reach out to", "in touch with"];

    public Task<FlowStep?> StartAsync(FlowContext context, CancellationToken cancellationToken) =>
        Task.FromResult<FlowStep?>(Question(new Dictionary<string, string>()));

    public Task<FlowStep.Ask> QuestionAsync(FlowContext context, string step, IReadOnlyDictionary<string, string> data, CancellationToken cancellationToken) =>
        Task.FromResult(Question(data));

    private static FlowStep.Ask Question(IReadOnlyDictionary<string, string> data) => new(ReasonStep, new InteractiveContent(
        InteractiveMessages.Button,
        "Of course — someone from the team will take over. What is it about?",
        Buttons: [.. Reasons.Select(r => new ReplyButton(r.Id, r.Title))]), data);

    public Task<FlowStep> AnswerAsync(FlowContext context, string step, FlowAnswer answer, IReadOnlyDictionary<string, string> data, CancellationToken cancellationToken) =>
        Task.FromResult(Answer(answer));

    private static FlowStep Answer(FlowAnswer answer)
    {
        var chosen = Reasons.FirstOrDefault(r => r.Id == answer.ChoiceId);
        if (chosen.Id is null && answer.Text is { } text)
        {
            var words = text.ToLowerInvariant().Split([' ', ',', '.', '!', '?'], StringSplitOptions.RemoveEmptyEntries);
            chosen = Reasons.FirstOrDefault(r => r.Title.Equals(text.Trim(), StringComparison.OrdinalIgnoreCase) || r.Words.Any(words.Contains));
        }

        return chosen.Id is null
            ? new FlowStep.Again("Please tap one of the buttons (or write \"cancel\").")
            : new FlowStep.HandOff($"The customer asked for a person: {chosen.Title}.");
    }
}
