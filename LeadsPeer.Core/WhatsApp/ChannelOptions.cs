namespace LeadsPeer.Core.WhatsApp;

/// <summary>How the WhatsApp channel paces itself: turn-taking, Meta's limits, opt-out words.</summary>
public sealed class ChannelOptions
{
    public const string Section = "Channel";

    /// <summary>
    /// Customers type in bursts: the reply waits this long after the last message of a turn,
    /// then answers the whole turn once.
    /// </summary>
    public TimeSpan ReplyQuietTime { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// How long a message of this type waits for more: a tap on a button or a list row (or a
    /// cart sent from a catalog) is a whole answer, so its turn is answered at once.
    /// </summary>
    public TimeSpan QuietTimeFor(string? type) => type is "interactive" or "button" or "order" ? TimeSpan.Zero : ReplyQuietTime;

    /// <summary>
    /// Webhooks waiting in the Api for their group commit, at most. Past it (PostgreSQL far behind),
    /// a webhook is answered 503 at once, and Meta delivers it again later, instead of the queue
    /// growing until the process runs out of memory.
    /// </summary>
    public int MaxQueuedWebhooks { get; set; } = 10_000;

    /// <summary>
    /// The customer service window on sandbox numbers: 24 hours, like Meta's, unless shortened to
    /// try what happens once it closes (the composer offers templates, the AI stays silent).
    /// </summary>
    public TimeSpan SandboxServiceWindow { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Meta's default throughput per business number (messages per second); over it Meta answers 130429.</summary>
    public int MessagesPerSecondPerNumber { get; set; } = 80;

    /// <summary>Messages one recipient may get in a burst before pacing (Meta allows bursts, then about one per 6 s; over it 131056).</summary>
    public int RecipientBurst { get; set; } = 10;

    /// <summary>The sustained interval between messages to one recipient once the burst is spent.</summary>
    public TimeSpan RecipientInterval { get; set; } = TimeSpan.FromSeconds(6);

    /// <summary>Transient send failures are retried this many times, with exponential back-off, then the message fails.</summary>
    public int MaxSendAttempts { get; set; } = 6;

    /// <summary>
    /// Whether the files of inbound media are fetched from Graph and kept. Off by default: the
    /// metadata (type, mime type, caption, Meta's media id) is always stored, the file only when set.
    /// </summary>
    public bool KeepInboundMedia { get; set; }

    /// <summary>Larger inbound files are not kept (their metadata still is).</summary>
    public long MaxMediaBytes { get; set; } = 25 * 1024 * 1024;

    /// <summary>A customer message that is exactly one of these words opts the customer out of business-initiated messages.</summary>
    public string[] OptOutWords { get; set; } = ["STOP", "UNSUBSCRIBE"];

    /// <summary>A customer message that is exactly one of these words opts the customer back in.</summary>
    public string[] OptInWords { get; set; } = ["START"];

    /// <summary>
    /// Words by which a customer asks for a person; a turn that contains one goes to the operators
    /// instead of the AI (<see cref="Agent.AgentSettings.AsksForPerson"/>, with the organisation's own keywords).
    /// </summary>
    public string[] HandoffWords { get; set; } = ["human", "person", "operator", "representative"];

    /// <summary>A message that is exactly one of these leaves the guided flow the conversation is in ("agent" or "human" hand it to the team instead).</summary>
    public string[] LeaveFlowWords { get; set; } = ["cancel", "menu", "exit", "quit", "never mind", "nevermind"];

    /// <summary>How long a guided flow's question waits for an answer; after it the flow ends and the customer's next words are the agent's.</summary>
    public TimeSpan FlowStepTimeout { get; set; } = TimeSpan.FromMinutes(30);

    public bool LeavesFlow(string? text) => Matches(LeaveFlowWords, text);

    public bool IsOptOut(string? text) => Matches(OptOutWords, text);

    public bool IsOptIn(string? text) => Matches(OptInWords, text);

    private static bool Matches(string[] words, string? text) =>
        text is not null && words.Any(w => string.Equals(w.Trim(), text.Trim().TrimEnd('.', '!'), StringComparison.OrdinalIgnoreCase));
}
