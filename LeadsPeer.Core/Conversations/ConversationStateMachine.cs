namespace LeadsPeer.Core.Conversations;

/// <summary>What can happen to a conversation's handling.</summary>
public enum ConversationAction
{
    /// <summary>An operator takes the conversation; the AI goes silent.</summary>
    Claim,

    /// <summary>An operator takes a conversation another operator holds (explicit, recorded).</summary>
    TakeOver,

    /// <summary>The operator who holds it gives it back to the queue of waiting conversations.</summary>
    Release,

    /// <summary>The AI answers again.</summary>
    HandBack,

    Resolve,

    /// <summary>An operator reopens a resolved conversation; it waits for a human.</summary>
    Reopen,

    /// <summary>The AI (or the customer asking for a person) hands the conversation to the operators.</summary>
    Handoff,
}

/// <summary>
/// The one owner of the conversation states and their transitions, for every host. A rule says
/// from which states an action may start and where it leads; the services apply it as one
/// conditional update, so two operators (or an operator and the Worker) can never both win.
/// </summary>
public static class ConversationStateMachine
{
    public sealed record Rule(IReadOnlySet<ConversationState> From, ConversationState To, bool OnlyTheHolder);

    private static readonly Dictionary<ConversationAction, Rule> Rules = new()
    {
        [ConversationAction.Claim] = new(Set(ConversationState.Ai, ConversationState.NeedsHuman), ConversationState.Human, OnlyTheHolder: false),
        [ConversationAction.TakeOver] = new(Set(ConversationState.Ai, ConversationState.NeedsHuman, ConversationState.Human), ConversationState.Human, OnlyTheHolder: false),
        [ConversationAction.Release] = new(Set(ConversationState.Human), ConversationState.NeedsHuman, OnlyTheHolder: true),
        [ConversationAction.HandBack] = new(Set(ConversationState.NeedsHuman, ConversationState.Human), ConversationState.Ai, OnlyTheHolder: true),
        [ConversationAction.Resolve] = new(Set(ConversationState.Ai, ConversationState.NeedsHuman, ConversationState.Human), ConversationState.Resolved, OnlyTheHolder: true),
        [ConversationAction.Reopen] = new(Set(ConversationState.Resolved), ConversationState.NeedsHuman, OnlyTheHolder: false),
        [ConversationAction.Handoff] = new(Set(ConversationState.Ai), ConversationState.NeedsHuman, OnlyTheHolder: false),
    };

    public static Rule For(ConversationAction action) => Rules[action];

    /// <summary>
    /// Whether <paramref name="actor"/> may do <paramref name="action"/> now. "Only the holder"
    /// matters while the conversation is <see cref="ConversationState.Human"/>: then only the
    /// operator who claimed it may release, hand back or resolve it.
    /// </summary>
    public static bool Allows(ConversationAction action, ConversationState state, Guid? holder, Guid? actor)
    {
        var rule = Rules[action];
        return rule.From.Contains(state)
               && !(rule.OnlyTheHolder && state == ConversationState.Human && holder != actor);
    }

    /// <summary>Why the action is refused, in words for the operator.</summary>
    public static string Refusal(ConversationAction action, ConversationState state, Guid? holder, Guid? actor) =>
        (action, state) switch
        {
            (_, ConversationState.Human) when holder != actor && action is not ConversationAction.TakeOver =>
                "Another operator is handling this conversation; take it over to act on it.",
            (ConversationAction.Claim, ConversationState.Human) => "You are already handling this conversation.",
            (_, ConversationState.Resolved) => "The conversation is resolved; reopen it first.",
            (ConversationAction.Reopen, _) => "Only a resolved conversation can be reopened.",
            (ConversationAction.Release, _) => "Only a conversation you are handling can be released.",
            (ConversationAction.HandBack, ConversationState.Ai) => "The AI is already handling this conversation.",
            _ => $"{action} is not possible while the conversation is {state}.",
        };

    private static IReadOnlySet<ConversationState> Set(params ConversationState[] states) => states.ToHashSet();
}
