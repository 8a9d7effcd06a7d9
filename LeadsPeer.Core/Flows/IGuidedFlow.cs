using LeadsPeer.Core.Conversations;
using LeadsPeer.Core.Conversations.Interactive;

namespace LeadsPeer.Core.Flows;

/// <summary>What the customer answered a step with: the choice they tapped, or the words they typed.</summary>
public sealed record FlowAnswer(string? ChoiceId, string? Text);

/// <summary>
/// The conversation a flow runs in, and the customer's message it is answering. When a flow
/// starts again while a run of its own is in progress (a cart sent mid-order), <c>Earlier</c> is
/// what that run had gathered, which the new start replaces. <c>Given</c> is what the agent
/// gathered before handing the turn to the flow (a cart a language model built with its tools),
/// in the flow's own keys (each flow says how it is written).
/// </summary>
public sealed record FlowContext(Conversation Conversation, Message Turn, IReadOnlyDictionary<string, string>? Earlier = null, IReadOnlyDictionary<string, string>? Given = null);

/// <summary>What a flow does with an answer.</summary>
public abstract record FlowStep
{
    private FlowStep()
    {
    }

    /// <summary>Ask the next question (buttons or a list) and wait at <paramref name="Step"/>, keeping <paramref name="Data"/>.</summary>
    public sealed record Ask(string Step, InteractiveContent Question, IReadOnlyDictionary<string, string> Data) : FlowStep;

    /// <summary>The answer did not fit: say so, and ask the same question again.</summary>
    public sealed record Again(string Text) : FlowStep;

    /// <summary>Done: say <paramref name="Text"/>; the conversation stays with the AI.</summary>
    public sealed record Finish(string Text) : FlowStep;

    /// <summary>Done by giving the conversation to the team, with <paramref name="Reason"/> (what the customer chose).</summary>
    public sealed record HandOff(string Reason) : FlowStep;
}

/// <summary>
/// A guided flow (ordering, booking, "talk to a person"): a few steps, each a question with
/// choices, moved on by taps or typed answers. Features register theirs as <see cref="IGuidedFlow"/>;
/// <see cref="GuidedFlows"/> keeps the state, starts, times out and leaves them, so a flow only
/// says what to ask and what an answer means. Prices, stock and free slots a flow shows come from
/// the same Core services its language-model tools call, never from the flow's own text.
/// </summary>
public interface IGuidedFlow
{
    /// <summary>Its name in the state and on the messages it asks with (letters, digits and dashes, at most 32).</summary>
    string Name { get; }

    /// <summary>Phrases that start it when a customer's words contain one (matched on whole words, any case).</summary>
    IReadOnlyList<string> Triggers { get; }

    /// <summary>
    /// Whether a message that is not words starts this flow, replacing any flow the conversation
    /// is in (a cart sent from the business's Meta catalog starts ordering).
    /// </summary>
    bool StartsOn(Message turn) => false;

    /// <summary>
    /// Whether words that hold none of its phrases still ask for this flow — a request naming the
    /// business's own items ("I want 3 croissants and a sourdough loaf") asks for ordering. Read
    /// after every flow's phrases.
    /// </summary>
    Task<bool> AskedForAsync(string text, CancellationToken cancellationToken) => Task.FromResult(false);

    /// <summary>
    /// Whether a question about the flow's terms — "how early do I need to order?", "how far in
    /// advance can I book?" — is left to the knowledge that states them rather than starting the
    /// flow. The flow's phrases are in it, but the customer asked, they did not ask to begin.
    /// </summary>
    bool LeavesTermsToKnowledge => false;

    /// <summary>
    /// The first step (usually a question; the customer's words may already answer some of it).
    /// Null when the flow is not offered here (the business has not switched it on): the agent
    /// answers the turn instead.
    /// </summary>
    Task<FlowStep?> StartAsync(FlowContext context, CancellationToken cancellationToken);

    /// <summary>The question of <paramref name="step"/> again (the answer did not fit, or was a photo or a voice note).</summary>
    Task<FlowStep.Ask> QuestionAsync(FlowContext context, string step, IReadOnlyDictionary<string, string> data, CancellationToken cancellationToken);

    /// <summary>What <paramref name="answer"/> to <paramref name="step"/> leads to.</summary>
    Task<FlowStep> AnswerAsync(FlowContext context, string step, FlowAnswer answer, IReadOnlyDictionary<string, string> data, CancellationToken cancellationToken);

    /// <summary>
    /// A tap on a message the flow's feature sent on its own, outside any run (a booking
    /// reminder's Confirm / Cancel / Reschedule): the step it leads to, started as a run of this
    /// flow when it asks a question. Null when <paramref name="step"/> is no such message.
    /// </summary>
    Task<FlowStep?> StandingTapAsync(FlowContext context, string step, string choiceId, CancellationToken cancellationToken) => Task.FromResult<FlowStep?>(null);

    /// <summary>
    /// What to say to a tap on a question this flow asked earlier, whose step is over (a second
    /// tap on Confirm). Null: the engine starts the flow again with a polite word.
    /// </summary>
    Task<string?> StaleTapAsync(FlowContext context, string step, string choiceId, CancellationToken cancellationToken) => Task.FromResult<string?>(null);
}
