using LeadsPeer.Core.Accounts;
using LeadsPeer.Core.Audit;
using LeadsPeer.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace LeadsPeer.Core.Agent;

public sealed record AgentSettingsView(
    bool Enabled,
    string? BusinessName,
    string? Domain,
    string? Tone,
    string? ReplyLanguage,
    string? ExtraInstructions,
    bool HandoffOnRequest,
    bool HandoffWhenUnanswered,
    bool HandoffOnDecision,
    string? UnansweredMessage,
    string EffectiveUnansweredMessage,
    IReadOnlyList<string> HandoffKeywords,
    double? ConfidenceThreshold,
    double EffectiveConfidenceThreshold,
    string HandoffMessage,
    string? Greeting,
    string? DeclineMessage,
    string EffectiveDeclineMessage,
    IReadOnlyDictionary<string, IReadOnlyList<string>> FlowTriggers,
    IReadOnlyDictionary<string, IReadOnlyList<string>> Synonyms,
    AiProvider Answerer,
    string AnswererDescription,
    DateTimeOffset? UpdatedAt);

/// <summary>The whole settings (PUT replaces them); omitted optional fields take their defaults.</summary>
public sealed record AgentSettingsInput(
    bool? Enabled,
    string? BusinessName,
    string? Domain,
    string? Tone,
    string? ReplyLanguage,
    string? ExtraInstructions,
    bool? HandoffOnRequest,
    IReadOnlyList<string>? HandoffKeywords,
    double? ConfidenceThreshold,
    string? HandoffMessage,
    string? Greeting,
    string? DeclineMessage = null,
    IReadOnlyDictionary<string, IReadOnlyList<string>>? FlowTriggers = null,
    IReadOnlyDictionary<string, IReadOnlyList<string>>? Synonyms = null,
    bool? HandoffWhenUnanswered = null,
    bool? HandoffOnDecision = null,
    string? UnansweredMessage = null);

/// <summary>Reads and saves the organisation's agent settings; the Worker reads them for every turn.</summary>
public sealed class AgentSettingsService(LeadsPeerDbContext db, CurrentMember member, AuditLog audit, IOptions<AiOptions> ai, TimeProvider time)
{
    public async Task<AgentSettingsView> GetAsync(CancellationToken cancellationToken) =>
        View(await db.AgentSettings.AsNoTracking().SingleOrDefaultAsync(cancellationToken), ai.Value);

    public async Task<Outcome<AgentSettingsView>> SaveAsync(AgentSettingsInput input, CancellationToken cancellationToken)
    {
        if (member.Refuses(Permission.ManageAgent) is { } refused)
        {
            return refused;
        }

        if (Validate(input) is { } invalid)
        {
            return invalid;
        }

        var settings = await db.AgentSettings.SingleOrDefaultAsync(cancellationToken);
        if (settings is null)
        {
            settings = new AgentSettings { TenantId = member.OrganizationId!.Value };
            db.AgentSettings.Add(settings);
        }

        settings.Enabled = input.Enabled ?? true;
        settings.BusinessName = Clean(input.BusinessName);
        settings.Domain = Clean(input.Domain);
        settings.Tone = Clean(input.Tone);
        settings.ReplyLanguage = Clean(input.ReplyLanguage);
        settings.ExtraInstructions = Clean(input.ExtraInstructions);
        settings.HandoffOnRequest = input.HandoffOnRequest ?? true;
        settings.HandoffWhenUnanswered = input.HandoffWhenUnanswered ?? true;
        settings.HandoffOnDecision = input.HandoffOnDecision ?? true;
        settings.UnansweredMessage = Clean(input.UnansweredMessage);
        settings.HandoffKeywords = [.. (input.HandoffKeywords ?? []).Select(k => k.Trim()).Where(k => k.Length > 0).Distinct(StringComparer.OrdinalIgnoreCase)];
        settings.ConfidenceThreshold = input.ConfidenceThreshold;
        settings.HandoffMessage = Clean(input.HandoffMessage) ?? AgentSettings.DefaultHandoffMessage;
        settings.Greeting = Clean(input.Greeting);
        settings.DeclineMessage = Clean(input.DeclineMessage);
        settings.FlowTriggers = AgentWords.Write(input.FlowTriggers);
        settings.Synonyms = AgentWords.Write(input.Synonyms);
        settings.UpdatedAt = time.GetUtcNow();
        audit.Record("agent.settings", "agent", member.OrganizationId, settings.Enabled ? "enabled" : "disabled");
        await db.SaveChangesAsync(cancellationToken);
        return View(settings, ai.Value);
    }

    /// <summary>The settings the agent works with: saved ones, or the defaults of an organisation that saved none.</summary>
    public static AgentSettings Effective(AgentSettings? saved, Guid tenantId) => saved ?? new AgentSettings { TenantId = tenantId };

    public static AgentSettingsView View(AgentSettings? saved, AiOptions ai)
    {
        var s = saved ?? new AgentSettings();
        return new AgentSettingsView(
            s.Enabled, s.BusinessName, s.Domain, s.Tone, s.ReplyLanguage, s.ExtraInstructions, s.HandoffOnRequest,
            s.HandoffWhenUnanswered, s.HandoffOnDecision, s.UnansweredMessage, s.EffectiveUnansweredMessage, s.HandoffKeywords,
            s.ConfidenceThreshold, s.ConfidenceThreshold ?? ai.AnswerThreshold, s.HandoffMessage, s.Greeting,
            s.DeclineMessage, s.EffectiveDeclineMessage, AgentWords.Parse(s.FlowTriggers), s.SynonymTable(), ai.Provider, ai.AnswererDescription, saved?.UpdatedAt);
    }

    private static string? Clean(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    private static UseCaseError? Validate(AgentSettingsInput input)
    {
        var errors = new Dictionary<string, string[]>();
        Check("businessName", input.BusinessName, AgentLimits.ShortText);
        Check("domain", input.Domain, AgentLimits.LongText);
        Check("tone", input.Tone, AgentLimits.ShortText);
        Check("replyLanguage", input.ReplyLanguage, 64);
        Check("extraInstructions", input.ExtraInstructions, AgentLimits.LongText);
        Check("handoffMessage", input.HandoffMessage, AgentLimits.MessageText);
        Check("greeting", input.Greeting, AgentLimits.MessageText);
        Check("declineMessage", input.DeclineMessage, AgentLimits.MessageText);
        Check("unansweredMessage", input.UnansweredMessage, AgentLimits.MessageText);
        if (input.HandoffKeywords is { } keywords && (keywords.Count > AgentLimits.MaxKeywords || keywords.Any(k => k is null || k.Trim().Length is 0 or > 64)))
        {
            errors["handoffKeywords"] = [$"At most {AgentLimits.MaxKeywords} keywords of 1 to 64 characters each."];
        }

        AgentWords.Check("flowTriggers", input.FlowTriggers, errors, Flows.FlowIntents.Configurable);
        AgentWords.Check("synonyms", input.Synonyms, errors);
        if (input.ConfidenceThreshold is { } threshold && (double.IsNaN(threshold) || threshold is < 0 or > 1))
        {
            errors["confidenceThreshold"] = ["A similarity between 0 and 1 (leave it empty for the calibrated default)."];
        }

        return errors.Count == 0 ? null : new UseCaseError(FailureKind.Invalid, "The agent settings are not valid.", errors);

        void Check(string field, string? value, int max)
        {
            if (value is { } text && text.Trim().Length > max)
            {
                errors[field] = [$"At most {max} characters."];
            }
        }
    }
}
