using LeadsPeer.Core.Agent;
using LeadsPeer.Core.Conversations;
using LeadsPeer.Core.Data;
using LeadsPeer.Core.Knowledge;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;
using Microsoft.SemanticKernel;

namespace LeadsPeer.Worker.Agent;

/// <summary>What the agent decided for a turn: an answer with its sources, or a handoff with a reason.</summary>
public abstract record AgentDecision
{
    public sealed record Answer(string Text, IReadOnlyList<SourceSnapshot> Sources) : AgentDecision;

    public sealed record HandOff(string Reason) : AgentDecision;
}

/// <summary>Writes the reply to a customer turn.</summary>
public interface IReplyComposer
{
    Task<AgentDecision> ComposeAsync(Conversation conversation, IReadOnlyList<Message> turn, AgentSettings settings, CancellationToken cancellationToken);
}

/// <summary>
/// The agent: the process's Semantic Kernel <see cref="Kernel"/> (<see cref="AgentKernel"/>: the
/// deployment's chat client — a language model, or the local extractive answerer — and the agent's tools). For each turn it
/// retrieves this organisation's passages (hybrid search, tenant-scoped), builds the prompt
/// with the organisation's settings and the recent conversation, and returns the answer with
/// snapshots of the passages it cited — or the handoff the model asked for.
/// </summary>
public sealed class AgentReplyComposer(
    LeadsPeerDbContext db,
    KnowledgeSearch search,
    Kernel kernel,
    IOptions<AiOptions> ai) : IReplyComposer
{
    private const int HistoryMessages = 10;
    private const int MaxSourceExcerpt = 1000;

    public async Task<AgentDecision> ComposeAsync(Conversation conversation, IReadOnlyList<Message> turn, AgentSettings settings, CancellationToken cancellationToken)
    {
        var question = AgentPrompt.Question(turn);
        if (question.Length == 0)
        {
            return new AgentDecision.HandOff("The customer sent something the AI cannot read (media without text).");
        }

        var passages = (await search.HybridAsync(conversation.TenantId, question, [question], ai.Value.ContextPassages, cancellationToken))
            .Select(match => match.Passage).ToList();

        var first = turn[0];
        var history = await db.Messages.AsNoTracking()
            .Where(m => m.ConversationId == conversation.Id && m.CreatedAt < first.CreatedAt && m.Text != null)
            .OrderByDescending(m => m.CreatedAt).Take(HistoryMessages)
            .ToListAsync(cancellationToken);
        history.Reverse();

        var handOff = kernel.Plugins[AgentTools.PluginName]["hand_off"];

        var threshold = settings.ConfidenceThreshold ?? ai.Value.AnswerThreshold;
        var messages = AgentPrompt.Build(settings, threshold, passages, history, turn);
        var response = await kernel.GetRequiredService<IChatClient>().GetResponseAsync(messages, new ChatOptions
        {
            ModelId = ai.Value.ChatModel,
            Temperature = 0.1f,
            MaxOutputTokens = 800,
            Tools = [handOff],
            ToolMode = ChatToolMode.Auto,
        }, cancellationToken);

        var call = response.Messages.SelectMany(m => m.Contents).OfType<Microsoft.Extensions.AI.FunctionCallContent>().FirstOrDefault(c => c.Name.EndsWith("hand_off", StringComparison.Ordinal));
        if (call is not null)
        {
            var result = await handOff.InvokeAsync(kernel, new KernelArguments { ["reason"] = (call.Arguments is { } arguments && arguments.TryGetValue("reason", out var reason) ? reason?.ToString() : null) ?? "" }, cancellationToken);
            return new AgentDecision.HandOff(Truncate(result.GetValue<string>()!, 500));
        }

        var (text, cited) = AgentPrompt.TakeCitations(response.Text);
        if (text.Length == 0)
        {
            return new AgentDecision.HandOff("The AI had no answer.");
        }

        var used = cited.Where(n => n >= 1 && n <= passages.Count).Select(n => passages[n - 1]).ToList();
        var sources = (used.Count > 0 ? used : passages)
            .Select(p => new SourceSnapshot(p.DocumentId, p.DocumentName, p.Location, Truncate(p.Content, MaxSourceExcerpt)))
            .ToList();
        return new AgentDecision.Answer(text, sources);
    }

    private static string Truncate(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";
}
