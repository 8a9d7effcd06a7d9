using LeadsPeer.Core.Agent;
using LeadsPeer.Core.Catalog;
using LeadsPeer.Core.Conversations;
using LeadsPeer.Core.Data;
using LeadsPeer.Core.Knowledge;
using LeadsPeer.Core.Orders;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;
using Microsoft.SemanticKernel;

namespace LeadsPeer.Worker.Agent;

/// <summary>
/// The agent: the process's Semantic Kernel <see cref="Kernel"/> (<see cref="AgentKernel"/>: the
/// deployment's chat client — a language model, or the local extractive answerer — and the agent's tools). For each turn it
/// retrieves this organisation's passages (hybrid search, tenant-scoped), builds the prompt
/// with the organisation's settings and the recent conversation, and returns the answer with
/// snapshots of the passages it cited — or the decline or handoff the model (or the rules read
/// before it: greetings, smuggled instructions, an unreadable script, invented facts) decided.
/// </summary>
public sealed partial class AgentReplyComposer(
    LeadsPeerDbContext db,
    KnowledgeSearch search,
    Kernel kernel,
    IOptions<AiOptions> ai,
    CatalogQueries catalog,
    CartPricing pricing,
    OrderLookup orderLookup,
    LeadsPeer.Core.Bookings.BookingQueries bookingQueries,
    TimeProvider time,
    IEmbeddingGenerator<string, Embedding<float>>? embeddings = null,
    FlowExamples? flowExamples = null,
    ScopeExamples? scopeExamples = null) : IReplyComposer
{
    private const int HistoryMessages = 10;

    /// <summary>Rounds of tool calls a turn may take (search, add, add, checkout…) before its answer.</summary>
    private const int MaxToolRounds = 6;
    private const int MaxSourceExcerpt = 1000;

    /// <summary>Passages whose sentences are weighed one by one when no passage as a whole answers.</summary>
    private const int SentencePassages = 3;

    public async Task<AgentDecision> ComposeAsync(Conversation conversation, IReadOnlyList<Message> turn, AgentSettings settings, CancellationToken cancellationToken)
    {
        var question = AgentPrompt.Question(turn);
        if (question.Length == 0)
        {
            return new AgentDecision.HandOff("The customer sent something the AI cannot read (media without text).");
        }

        // Read before any search, alike for both providers: instructions smuggled into a message
        // are declined; a greeting or thanks on its own is answered, not handed to anyone.
        if (TurnSignals.IsInjection(question))
        {
            return new AgentDecision.Decline("The message tries to change the agent's instructions.");
        }

        if (TurnSignals.IsGreeting(question))
        {
            return new AgentDecision.Answer($"Hello! How can I help you{(settings.BusinessName is { } name ? $" with {name}" : "")}?", [], AgentDecision.Answer.GreetingReason);
        }

        if (TurnSignals.IsThanks(question))
        {
            return new AgentDecision.Answer("You're welcome! Write any time if you need anything else.", [], "Thanks or a goodbye.");
        }

        if (settings.HandoffOnDecision && TurnSignals.NeedsDecision(question))
        {
            return new AgentDecision.HandOff("A refund or a complaint: the business's people decide.");
        }

        // "Where is my order?" reaches the agent only where orders are not taken here (the order
        // lookup answers it where they are): the knowledge cannot know where a customer's order is,
        // so it is the business's question the knowledge does not answer.
        if (OrderLookup.AsksAboutOwnOrder(question))
        {
            return Unanswered(settings, "The customer asked about their own order, which the AI cannot see.");
        }

        if (ai.Value.Provider == AiProvider.Local && TurnSignals.IsMostlyNonLatin(question))
        {
            return new AgentDecision.HandOff("The customer wrote in a script the local answerer cannot read: a person answers rather than a guess.");
        }

        return await OrStartFlowAsync(await FromKnowledgeAsync(conversation, turn, question, settings, cancellationToken), question, cancellationToken);
    }

    /// <summary>The answer the business's knowledge gives, or the decline or handoff when it gives none.</summary>
    private async Task<AgentDecision> FromKnowledgeAsync(Conversation conversation, IReadOnlyList<Message> turn, string question, AgentSettings settings, CancellationToken cancellationToken)
    {
        var first = turn[0];
        var history = await db.Messages.AsNoTracking()
            .Where(m => m.ConversationId == conversation.Id && m.CreatedAt < first.CreatedAt && m.Text != null)
            .OrderByDescending(m => m.CreatedAt).Take(HistoryMessages)
            .ToListAsync(cancellationToken);
        history.Reverse();

        // "And on Sunday?" is searched with the question it follows.
        // Searched with what the customer's words stand for too ("timings" → opening hours), by the
        // common table and the business's own synonyms.
        var query = AgentWords.Expand(TurnSignals.IsFollowUp(question) && history.LastOrDefault(m => m.Direction == MessageDirection.Inbound) is { Text: { } previous }
            ? $"{previous}\n{question}"
            : question, settings.SynonymTable());
        var passages = (await search.HybridAsync(conversation.TenantId, query, [query], ai.Value.ContextPassages, cancellationToken))
            .Select(match => match.Passage).ToList();
        // The local answerer reads which of the words the question is about the knowledge has
        // (names aside: "Lahore" in "find me a plumber in Lahore" says where, not what about).
        var words = AgentWords.Normalise(question, settings.SynonymTable());
        var local = ai.Value.Provider == AiProvider.Local;
        // Read at most once, by whichever of the scope and the decline below needs it first.
        Task<bool>? speaksOfOwn = null;
        Task<bool> SpeaksOfOwn() => speaksOfOwn ??= SpeaksOfOwnAsync(question, words, cancellationToken);
        var content = local ? QuestionWords.Content(words) : [];
        // A day is known when the knowledge speaks of days at all: "Friday" is in "Monday to Saturday";
        // and what the business says it is ("the bakery" of "a bakery: cakes…") is the business itself.
        var unknown = content.Count > 0 ? (await search.UnknownAsync(conversation.TenantId, content, cancellationToken)).Where(w => !DayNames.IsDay(w)).ToList() : [];
        if (unknown.Count > 0)
        {
            unknown.RemoveAll(KnowledgeKeywords.From($"{settings.Domain} {settings.BusinessName}").ToHashSet().Contains);
        }
        var names = QuestionNames.In(question).Select(n => n.ToLowerInvariant()).ToHashSet();
        var topical = content.Where(w => !names.Contains(w)).ToList();
        var nothingKnown = topical.Count > 0 && topical.All(unknown.Contains);
        // "Book" and "exchange" trade here only when the question names something the knowledge has
        // ("book a tasting"), not for a flight or a dollar rate.
        var trading = TurnSignals.IsAboutTrading(words) && !(nothingKnown && TurnSignals.TradesOnlyInWordsWithOtherSenses(words));
        // How close the question is to the business: its knowledge, what it says it does, or how it
        // trades. A business that has neither knowledge nor a declared domain yet cannot be told
        // from the rest: its team looks at every unanswered turn rather than the agent declining it.
        var scope = trading || (passages.Count == 0 && string.IsNullOrWhiteSpace(settings.Domain))
            ? 1.0
            : Math.Max(passages.Select(p => p.Similarity ?? 0).DefaultIfEmpty(0).Max(), await DomainSimilarityAsync(query, settings.Domain, cancellationToken));
        // A question about one of the business's products ("is the sourdough vegan?") or the
        // services it books ("sign me up for a tasting") is the business's subject however far its
        // words read from the knowledge: not declined.
        if (local && !trading && scope < ai.Value.ScopeThreshold && await SpeaksOfOwn())
        {
            scope = ai.Value.ScopeThreshold;
        }

        // A deployment whose answer threshold is 0 or below has every passage answer: nothing is judged.
        var threshold = settings.ConfidenceThreshold ?? ai.Value.AnswerThreshold;
        if (settings.HandoffOnDecision && unknown.Any(TurnSignals.IsDiscountWord))
        {
            // Asked for a discount the knowledge never mentions: whether to give one is the business's decision.
            return new AgentDecision.HandOff(DiscountReason);
        }

        if (nothingKnown && threshold > 0)
        {
            // Not one word of what it asks about is in the knowledge: no passage answers it, however
            // near it reads. Off the business's subject (judged without the names, which a plumber
            // in Lahore shares with a Lahore bakery) it is declined; on it, the team answers.
            var bare = trading || names.Count == 0 ? scope : await DomainSimilarityAsync(QuestionNames.Without(query, names), settings.Domain, cancellationToken);
            return await RescopedAsync(!trading && bare < UnknownWordsScope && !await SpeaksOfOwn()
                ? new AgentDecision.Decline(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                    $"Outside the business: none of the words it asks about is in the knowledge, and it reads far from it (closest {bare:0.00})."))
                : Unanswered(settings, "None of the words the question asks about is in the knowledge."), question, trading ? 1.0 : bare, SpeaksOfOwn, cancellationToken);
        }

        var handOff = kernel.Plugins[AgentTools.PluginName]["hand_off"];
        var decline = kernel.Plugins[AgentTools.PluginName]["decline"];

        // A language model at a business that takes orders also gets the ordering tools (the local
        // answerer leaves ordering to the guided flow).
        var ordering = ai.Value.Provider == AiProvider.Local ? null : await OrderingToolsAsync(conversation, cancellationToken);
        var orderingPlugin = ordering is null ? null : KernelPluginFactory.CreateFromObject(ordering, OrderingTools.PluginName);
        // Likewise the booking tools where the business takes bookings.
        var booking = ai.Value.Provider == AiProvider.Local ? null : await BookingToolsAsync(conversation, cancellationToken);
        var bookingPlugin = booking is null ? null : KernelPluginFactory.CreateFromObject(booking, BookingTools.PluginName);
        var plugins = new[] { orderingPlugin, bookingPlugin }.OfType<KernelPlugin>().ToList();

        var sentences = local && passages.All(p => (p.Similarity ?? 0) < threshold) && scope >= ai.Value.ScopeThreshold
            ? await SentencesIfAnyAnswerAsync(question, words, query, passages, topical, unknown, cancellationToken)
            : null;
        var messages = AgentPrompt.Build(settings, threshold, passages, history, turn, (scope, ai.Value.ScopeThreshold), ordering: ordering is not null, booking: booking is not null,
            sentences: sentences);
        var options = new ChatOptions
        {
            ModelId = ai.Value.ChatModel,
            Temperature = 0.1f,
            MaxOutputTokens = 800,
            Tools = [handOff, decline, .. plugins.SelectMany(p => p)],
            ToolMode = ChatToolMode.Auto,
        };

        ChatResponse response;
        for (var round = 1; ; round++)
        {
            response = await kernel.GetRequiredService<IChatClient>().GetResponseAsync(messages, options, cancellationToken);
            var calls = response.Messages.SelectMany(m => m.Contents).OfType<Microsoft.Extensions.AI.FunctionCallContent>().ToList();
            // A handoff wins over a decline: when the model is unsure which, a person looks.
            if (calls.FirstOrDefault(c => c.Name.EndsWith("hand_off", StringComparison.Ordinal)) is { } handOffCall)
            {
                var reason = await ReasonAsync(handOff, handOffCall, cancellationToken);
                return handOffCall.CallId == ExtractiveAnswerer.UnansweredCallId
                    ? await RescopedAsync(Unanswered(settings, reason), question, trading ? 1.0 : scope, SpeaksOfOwn, cancellationToken)
                    : new AgentDecision.HandOff(reason);
            }

            if (calls.FirstOrDefault(c => c.Name.EndsWith("decline", StringComparison.Ordinal)) is { } declineCall)
            {
                return new AgentDecision.Decline(await ReasonAsync(decline, declineCall, cancellationToken));
            }

            // The tools' answers go back to the model, which may call more, up to a few rounds; a
            // handover to a flow (a time to confirm, a booking to cancel) ends the rounds.
            if (plugins.Count == 0 || calls.Count == 0 || round == MaxToolRounds)
            {
                break;
            }

            messages.AddRange(response.Messages);
            foreach (var call in calls)
            {
                messages.Add(new ChatMessage(ChatRole.Tool, [new Microsoft.Extensions.AI.FunctionResultContent(call.CallId, await InvokeAsync(PluginOf(plugins, call), call, cancellationToken))]));
            }

            if (booking?.Handover is not null)
            {
                break; // the flow asks next: the model's own words are not wanted
            }
        }

        // A time to book, or a booking to cancel or move, is confirmed by the customer in its flow.
        if (booking?.Handover is { } handover)
        {
            return new AgentDecision.Flow(handover.Flow, handover.Given, handover.Why);
        }

        // A cart the tools built is never left in the model's words: the ordering flow shows it,
        // priced by the server, and the customer confirms there. Asked to order without items, the
        // customer is shown the catalog.
        if (ordering is { HandsToFlow: true })
        {
            return new AgentDecision.Flow(OrderingFlow.FlowName, OrderingFlow.Given(ordering.Cart, ordering.CheckoutAsked), ordering switch
            {
                { Cart.Count: 0 } => "The customer wants to order: the AI started the ordering flow.",
                { CheckoutAsked: true } => "The AI built the cart with its ordering tools; the customer checks out in the ordering flow.",
                _ => "The AI built a cart with its ordering tools; the ordering flow shows it.",
            });
        }

        var (text, cited) = AgentPrompt.TakeCitations(response.Text);
        if (text.Length == 0)
        {
            return Unanswered(settings, "The AI had no answer.");
        }

        // Prices, times, phone numbers and links come from the business (its passages, or what the
        // ordering and booking tools read from the database), never from the model.
        if (GroundingCheck.Ungrounded(text, [.. passages.Select(p => p.Content), question, .. ordering?.Results ?? [], .. booking?.Results ?? []]) is { } invented)
        {
            return new AgentDecision.HandOff($"The AI's answer named {invented}, which the knowledge does not: not sent.");
        }

        var used = cited.Where(n => n >= 1 && n <= passages.Count).Select(n => passages[n - 1]).ToList();
        // The local answerer quotes the passage nearest in meaning; one that never mentions a name
        // the customer asked about ("Bahria Town") does not answer them.
        if (ai.Value.Provider == AiProvider.Local && used.Count > 0
            && QuestionNames.Missing(question, [.. used.Select(p => p.Content), .. used.Select(p => p.Location), settings.BusinessName],
                name => AgentWords.Normalise(name, settings.SynonymTable())) is not null)
        {
            return Unanswered(settings, "The customer named something the nearest passage does not mention.");
        }

        var sources = (used.Count > 0 ? used : passages)
            .Select(p => new SourceSnapshot(p.DocumentId, p.DocumentName, p.Location, Truncate(p.Content, MaxSourceExcerpt)))
            .ToList();
        return new AgentDecision.Answer(text, sources);
    }

    private async Task<string> ReasonAsync(KernelFunction tool, Microsoft.Extensions.AI.FunctionCallContent call, CancellationToken cancellationToken)
    {
        var result = await tool.InvokeAsync(kernel, new KernelArguments
        {
            ["reason"] = (call.Arguments is { } arguments && arguments.TryGetValue("reason", out var reason) ? reason?.ToString() : null) ?? "",
        }, cancellationToken);
        return Truncate(result.GetValue<string>()!, 500);
    }

    /// <summary>
    /// The business's subject, not in its knowledge: handed to the team, or — where the business
    /// switched those handoffs off — told so in its words and listed with the declined turns.
    /// </summary>
    private static AgentDecision Unanswered(AgentSettings settings, string reason) => settings.HandoffWhenUnanswered
        ? new AgentDecision.HandOff(reason)
        : new AgentDecision.Decline($"{reason} Handoffs for questions the knowledge does not answer are off.", settings.EffectiveUnansweredMessage);

    private static string Truncate(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";
}
