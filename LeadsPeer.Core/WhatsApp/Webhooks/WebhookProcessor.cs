using LeadsPeer.Core.Data;
using System.Diagnostics.Metrics;
using System.Text.Json;
using LeadsPeer.Core.Live;
using LeadsPeer.Core.WhatsApp.Templates;
using LeadsPeer.Core.Work;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LeadsPeer.Core.WhatsApp.Webhooks;

public enum WebhookOutcome
{
    /// <summary>Stored (or well-formed and not for us): answer 200 so Meta stops retrying.</summary>
    Accepted,

    /// <summary>Missing or wrong signature: answer 401, nothing stored.</summary>
    Unauthorized,

    /// <summary>Correctly signed but not JSON: answer 400, nothing stored.</summary>
    Malformed,

    /// <summary>Too many webhooks already wait for the database: answer 503 at once, nothing stored; Meta delivers it again.</summary>
    Busy,
}

/// <summary>
/// The one path of a Meta webhook POST, used by the endpoint and by nothing that could skip a
/// step: verify the signature over the raw bytes, parse, store in one transaction, then — only
/// after the commit — dispatch the reply work and publish live events. Redis being down only
/// delays the last two (the sweeper and the next read catch up); it never fails the webhook.
/// </summary>
public sealed partial class WebhookProcessor(
    WebhookWriter ingest,
    IServiceScopeFactory scopes,
    WorkStreams streams,
    LiveEventPublisher live,
    IOptions<WhatsAppOptions> options,
    IOptions<Sandbox.SandboxOptions> sandbox,
    TimeProvider time,
    ILogger<WebhookProcessor> logger)
{
    private static readonly Counter<long> MessagesReceived = CoreTelemetry.Meter.CreateCounter<long>("leadspeer.webhooks.messages", description: "New customer messages stored from webhooks");
    private static readonly Counter<long> StatusesApplied = CoreTelemetry.Meter.CreateCounter<long>("leadspeer.webhooks.statuses", description: "Delivery statuses applied from webhooks");

    public async Task<WebhookOutcome> ProcessAsync(ReadOnlyMemory<byte> body, string? signature, CancellationToken cancellationToken)
    {
        // Meta's app secret signs for any number; the sandbox's key (held by the dashboard) only
        // for sandbox numbers, checked once the body is read.
        var bySandbox = false;
        if (!WebhookSignature.IsValid(body.Span, signature, options.Value.AppSecret!))
        {
            if (sandbox.Value.SigningKey is not { Length: > 0 } sandboxKey || !WebhookSignature.IsValid(body.Span, signature, sandboxKey))
            {
                LogBadSignature(logger, signature is null ? "missing" : "wrong");
                return WebhookOutcome.Unauthorized;
            }

            bySandbox = true;
        }

        WebhookPayload payload;
        var reader = new WebhookPayloadReader();
        try
        {
            payload = reader.Read(body, time.GetUtcNow());
        }
        catch (JsonException)
        {
            LogMalformed(logger, body.Length);
            return WebhookOutcome.Malformed;
        }

        if (bySandbox && !OnlySandbox(payload))
        {
            LogSandboxKeyForRealNumber(logger);
            return WebhookOutcome.Unauthorized;
        }

        if (reader.Skipped > 0)
        {
            LogSkipped(logger, reader.Skipped);
        }

        foreach (var error in payload.Changes.SelectMany(c => c.Errors))
        {
            LogMetaError(logger, error.Code, error.Title);
        }

        if (payload.Templates.Count > 0)
        {
            // Rare (a review decided, a quality or category changed): applied directly, not batched with messages.
            await using var scope = scopes.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<TemplateCatalog>().ApplyAsync(payload.Templates, cancellationToken);
        }

        if (payload.IsEmpty)
        {
            return WebhookOutcome.Accepted;
        }

        if (ingest.TryStoreAsync(payload, cancellationToken) is not { } storing)
        {
            return WebhookOutcome.Busy;
        }

        var result = await storing;
        if (result.UnknownNumbers > 0)
        {
            LogUnknownNumber(logger, result.UnknownNumbers);
        }

        MessagesReceived.Add(result.NewMessages.Count);
        StatusesApplied.Add(result.StatusChanges.Count);

        // After the commit, and never allowed to fail (or hold) the webhook: PostgreSQL already has
        // it all. Sent together, and waited for briefly: a hung Redis delays the 200 by HintWait at most.
        await RedisOutage.WaitBrieflyAsync(Task.WhenAll(
            streams.DispatchAsync(result.ReplyWork.Select(w => (WorkKind.Reply, w.WorkId))
                .Concat(result.MediaWork.Select(w => (WorkKind.FetchMedia, w.WorkId)))),
            live.PublishAsync(
                result.NewConversations.Select(c => (c.TenantId, new LiveEvent(LiveEventTypes.ConversationCreated, c.ConversationId)))
                    .Concat(result.NewMessages.Select(m => (m.TenantId, new LiveEvent(LiveEventTypes.MessageAdded, m.ConversationId, m.MessageId)))
                    .Concat(result.StatusChanges.Select(s => (s.TenantId, new LiveEvent(LiveEventTypes.MessageStatusChanged, s.ConversationId, s.MessageId))))))));
        return WebhookOutcome.Accepted;
    }

    private static bool OnlySandbox(WebhookPayload payload) =>
        payload.Changes.All(c => Sandbox.SandboxOptions.IsSandboxId(c.PhoneNumberId))
        && payload.Templates.All(t => Sandbox.SandboxOptions.IsSandboxId(t.WabaId));

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook refused: signed with the sandbox key for a number or account that is not a sandbox's")]
    private static partial void LogSandboxKeyForRealNumber(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook refused: {Which} X-Hub-Signature-256")]
    private static partial void LogBadSignature(ILogger logger, string which);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook refused: a correctly signed body of {Length} bytes is not a JSON object")]
    private static partial void LogMalformed(ILogger logger, int length);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook parts skipped: {Count} without a phone number id, message id or sender")]
    private static partial void LogSkipped(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Meta reported an error for a number: {Code} {Title}")]
    private static partial void LogMetaError(ILogger logger, int? code, string? title);

    [LoggerMessage(Level = LogLevel.Information, Message = "Webhook for {Count} phone number(s) with no active connection: ignored")]
    private static partial void LogUnknownNumber(ILogger logger, int count);
}
