using LeadsPeer.Core.Tenancy;

namespace LeadsPeer.Core.Agent;

/// <summary>How an organisation's AI agent behaves. One row per organisation; defaults until saved.</summary>
public sealed class AgentSettings : ITenantOwned
{
    public const string DefaultHandoffMessage = "Thanks for your patience: a member of our team will reply here shortly.";

    public Guid TenantId { get; set; }

    /// <summary>Off: every customer turn goes straight to the operators.</summary>
    public bool Enabled { get; set; } = true;
    public string? BusinessName { get; set; }

    /// <summary>What the business does: the agent stays inside this domain and declines the rest.</summary>
    public string? Domain { get; set; }
    public string? Tone { get; set; }

    /// <summary>A language to always reply in (e.g. "Spanish"); null replies in the customer's language.</summary>
    public string? ReplyLanguage { get; set; }
    public string? ExtraInstructions { get; set; }

    /// <summary>Hand the conversation over when the customer asks for a person.</summary>
    public bool HandoffOnRequest { get; set; } = true;

    /// <summary>
    /// Hand the conversation over when the question is the business's but its knowledge does not
    /// answer it. Off: the customer gets <see cref="EffectiveUnansweredMessage"/>, the turn is listed
    /// with the declined ones (what the knowledge is missing), and nobody is paged.
    /// </summary>
    public bool HandoffWhenUnanswered { get; set; } = true;

    /// <summary>Hand the conversation over for a refund asked for or a complaint. Off: such turns are answered like any other.</summary>
    public bool HandoffOnDecision { get; set; } = true;

    /// <summary>What the customer is told when the knowledge has no answer and such handoffs are off; null: a default.</summary>
    public string? UnansweredMessage { get; set; }

    public const string DefaultUnansweredMessage = "Sorry, I don't have the answer to that here. You can ask me something else, or write \"agent\" to reach our team.";

    public string EffectiveUnansweredMessage => UnansweredMessage ?? DefaultUnansweredMessage;

    /// <summary>More words that hand the conversation over (e.g. "refund", "complaint").</summary>
    public List<string> HandoffKeywords { get; set; } = [];

    /// <summary>How similar the best passage must be to the question to answer from it; null uses the deployment's calibrated default.</summary>
    public double? ConfidenceThreshold { get; set; }
    public string HandoffMessage { get; set; } = DefaultHandoffMessage;

    /// <summary>
    /// What the agent says to a request outside the business (a poem, the capital of Australia):
    /// one sentence saying what it can help with. Null: written from the business's name and domain.
    /// </summary>
    public string? DeclineMessage { get; set; }

    /// <summary>The decline the customer gets: the business's own words, or one written from its name and domain.</summary>
    public string EffectiveDeclineMessage =>
        DeclineMessage ?? $"Sorry, I can only help with questions about {BusinessName ?? "this business"}{(Domain is { } domain ? $" ({domain})" : "")}. What would you like to know?";

    /// <summary>
    /// Phrases the business adds to its guided flows' own (jsonb: flow name → phrases), e.g.
    /// <c>{"book": ["cake tasting"]}</c>: words that start that flow for its customers.
    /// </summary>
    public string FlowTriggers { get; set; } = "{}";

    /// <summary>
    /// The business's synonym table (jsonb: a word → the words its customers write for it), e.g.
    /// <c>{"opening hours": ["timings", "waqt"]}</c>: read as that word when searching the knowledge
    /// and when matching a flow's phrases.
    /// </summary>
    public string Synonyms { get; set; } = "{}";

    /// <summary>The phrases the business added to the flow named <paramref name="flow"/>.</summary>
    public IReadOnlyList<string> TriggersFor(string flow) => Read(FlowTriggers, ref _readTriggers).GetValueOrDefault(flow) ?? [];

    /// <summary>The synonym table, read.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> SynonymTable() => Read(Synonyms, ref _readSynonyms);

    // Each table is read once per text it holds (a turn asks for it several times); a new text is read again.
    private (string Json, IReadOnlyDictionary<string, IReadOnlyList<string>> Table)? _readTriggers;
    private (string Json, IReadOnlyDictionary<string, IReadOnlyList<string>> Table)? _readSynonyms;

    private static IReadOnlyDictionary<string, IReadOnlyList<string>> Read(string json, ref (string Json, IReadOnlyDictionary<string, IReadOnlyList<string>> Table)? read)
    {
        if (read is not { } cached || !ReferenceEquals(cached.Json, json))
        {
            read = cached = (json, AgentWords.Parse(json));
        }

        return cached.Table;
    }

    /// <summary>Starts the agent's first reply in a conversation.</summary>
    public string? Greeting { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>Whether the customer's words ask for a person, by the deployment's words or this organisation's keywords.</summary>
    public bool AsksForPerson(string? text, IEnumerable<string> personWords)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var words = text.Split([' ', ',', '.', '!', '?', ';', ':', '\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries);
        // "In person" and "per person" say how, or how many, not who: "can we discuss the cake in person?".
        var asksForPerson = HandoffOnRequest
            && (words.Where((w, i) => i == 0 || words[i - 1].ToLowerInvariant() is not ("in" or "per")).Any(w => personWords.Contains(w, StringComparer.OrdinalIgnoreCase))
                || TurnSignals.AsksForAgent(text));
        return asksForPerson || HandoffKeywords.Any(k => text.Contains(k, StringComparison.OrdinalIgnoreCase));
    }
}
