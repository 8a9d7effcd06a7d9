using LeadsPeer.Core.Conversations;
using static LeadsPeer.Core.Conversations.ConversationAction;
using static LeadsPeer.Core.Conversations.ConversationState;

namespace LeadsPeer.Core.Tests.Conversations;

/// <summary>Every action from every state, by the holder, by another operator, and unclaimed.</summary>
public sealed class ConversationStateMachineTests
{
    private static readonly Guid Me = Guid.NewGuid();
    private static readonly Guid Other = Guid.NewGuid();

    public enum Who
    {
        Nobody,
        Me,
        Other,
    }

    // (action, state, holder) → allowed?; Human is always held by someone.
    public static TheoryData<ConversationAction, ConversationState, Who, bool> Table() => new()
    {
        { Claim, Ai, Who.Nobody, true },
        { Claim, NeedsHuman, Who.Nobody, true },
        { Claim, Human, Who.Other, false },
        { Claim, Resolved, Who.Nobody, false },
        { TakeOver, Ai, Who.Nobody, true },
        { TakeOver, NeedsHuman, Who.Nobody, true },
        { TakeOver, Human, Who.Other, true },
        { TakeOver, Resolved, Who.Nobody, false },
        { Release, Ai, Who.Nobody, false },
        { Release, NeedsHuman, Who.Nobody, false },
        { Release, Human, Who.Me, true },
        { Release, Human, Who.Other, false },
        { Release, Resolved, Who.Nobody, false },
        { HandBack, Ai, Who.Nobody, false },
        { HandBack, NeedsHuman, Who.Nobody, true },
        { HandBack, Human, Who.Me, true },
        { HandBack, Human, Who.Other, false },
        { HandBack, Resolved, Who.Nobody, false },
        { Resolve, Ai, Who.Nobody, true },
        { Resolve, NeedsHuman, Who.Nobody, true },
        { Resolve, Human, Who.Me, true },
        { Resolve, Human, Who.Other, false },
        { Resolve, Resolved, Who.Nobody, false },
        { Reopen, Ai, Who.Nobody, false },
        { Reopen, NeedsHuman, Who.Nobody, false },
        { Reopen, Human, Who.Me, false },
        { Reopen, Resolved, Who.Nobody, true },
        { Handoff, Ai, Who.Nobody, true },
        { Handoff, NeedsHuman, Who.Nobody, false },
        { Handoff, Human, Who.Other, false },
        { Handoff, Resolved, Who.Nobody, false },
        { CustomerReturns, Ai, Who.Nobody, false },
        { CustomerReturns, NeedsHuman, Who.Nobody, false },
        { CustomerReturns, Human, Who.Other, false },
        { CustomerReturns, Resolved, Who.Nobody, true },
        { ReachOut, Ai, Who.Nobody, true },
        { ReachOut, NeedsHuman, Who.Nobody, true },
        { ReachOut, Human, Who.Other, false },
        { ReachOut, Resolved, Who.Nobody, true },
    };

    [Theory]
    [MemberData(nameof(Table))]
    public void Each_action_is_allowed_exactly_from_its_states(ConversationAction action, ConversationState state, Who holder, bool allowed)
    {
        var holderId = holder switch { Who.Me => Me, Who.Other => Other, _ => (Guid?)null };

        Assert.Equal(allowed, ConversationStateMachine.Allows(action, state, holderId, Me));
        if (!allowed)
        {
            Assert.False(string.IsNullOrWhiteSpace(ConversationStateMachine.Refusal(action, state, holderId, Me)));
        }
    }

    [Fact]
    public void Every_action_leads_where_the_handling_model_says()
    {
        Assert.Equal(Human, ConversationStateMachine.For(Claim).To);
        Assert.Equal(Human, ConversationStateMachine.For(TakeOver).To);
        Assert.Equal(NeedsHuman, ConversationStateMachine.For(Release).To);
        Assert.Equal(Ai, ConversationStateMachine.For(HandBack).To);
        Assert.Equal(ConversationState.Resolved, ConversationStateMachine.For(Resolve).To);
        Assert.Equal(NeedsHuman, ConversationStateMachine.For(Reopen).To);
        Assert.Equal(NeedsHuman, ConversationStateMachine.For(Handoff).To);
        Assert.Equal(Ai, ConversationStateMachine.For(CustomerReturns).To);
        Assert.Equal(Human, ConversationStateMachine.For(ReachOut).To);
        Assert.Equal(Enum.GetValues<ConversationAction>().Length, Table().Select(row => row.Data.Item1).Distinct().Count());
    }

    [Fact]
    public void Another_operators_hold_is_named_in_the_refusal()
    {
        Assert.Contains("Another operator", ConversationStateMachine.Refusal(Release, Human, Other, Me));
        Assert.Contains("reopen", ConversationStateMachine.Refusal(Claim, ConversationState.Resolved, null, Me));
    }

    [Theory]
    [InlineData(Ai, true)]
    [InlineData(NeedsHuman, false)]
    [InlineData(Human, false)]
    [InlineData(ConversationState.Resolved, false)]
    public void The_AI_may_speak_only_on_its_own_conversations_in_memory_and_as_a_query(ConversationState state, bool speaks)
    {
        var asQuery = ConversationStateMachine.AiMaySpeakOn.Compile();

        Assert.Equal(speaks, ConversationStateMachine.AiMaySpeak(state));
        Assert.Equal(speaks, asQuery(new Conversation { State = state }));
    }

    [Fact]
    public void A_returning_customer_reopens_only_a_resolved_conversation_and_only_with_a_newer_message()
    {
        var sql = ConversationStateMachine.CustomerReturnsSql("stored", "incoming");

        Assert.Contains("stored.state IN ('Resolved') AND incoming.last_inbound_at > stored.last_inbound_at", sql);
        Assert.Contains("THEN 'Ai' ELSE stored.state END", sql);
        Assert.Contains("assigned_user_id = CASE WHEN", sql);
    }
}
