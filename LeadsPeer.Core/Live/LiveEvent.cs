using System.Text.Json;
using LeadsPeer.Core.Data;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace LeadsPeer.Core.Live;

/// <summary>
/// "Look again": a small notice that something changed for a tenant, with ids and the few fields
/// a screen needs — never tokens, phone numbers or message bodies. Screens re-read PostgreSQL, so
/// a missed event costs freshness, never correctness.
/// </summary>
public sealed record LiveEvent(
    string Type,
    Guid? ConversationId = null,
    Guid? MessageId = null,
    string? Status = null,
    Guid? ConnectionId = null,
    Guid? DocumentId = null,
    int? Progress = null,
    Guid? OrderId = null,
    Guid? BookingId = null);

public static class LiveEventTypes
{
    public const string ConversationCreated = "conversation.created";
    public const string ConversationStateChanged = "conversation.state";
    public const string MessageAdded = "message.added";
    public const string MessageStatusChanged = "message.status";
    public const string MessageInDoubt = "message.in-doubt";
    public const string ConnectionHealthChanged = "connection.health";
    public const string DocumentProgress = "document.progress";
    public const string TemplatesChanged = "templates.changed";

    /// <summary>A customer was erased: screens showing their conversation read again and find it gone.</summary>
    public const string ContactErased = "contact.erased";

    /// <summary>An organisation export moved (progress, ready, failed).</summary>
    public const string ExportProgress = "export.progress";

    /// <summary>An order was placed or moved (its new status in <see cref="LiveEvent.Status"/>).</summary>
    public const string OrderChanged = "order.changed";

    /// <summary>A booking was made, moved, cancelled, closed or confirmed by the customer (its status in <see cref="LiveEvent.Status"/>).</summary>
    public const string BookingChanged = "booking.changed";

    /// <summary>The organisation's closure was requested or cancelled.</summary>
    public const string OrganizationClosure = "organization.closure";
}

/// <summary>Publishes live events to the tenant's Redis channel, after the change has committed.</summary>
public sealed partial class LiveEventPublisher(IConnectionMultiplexer redis, ILogger<LiveEventPublisher> logger)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull };

    public static RedisChannel ChannelFor(Guid tenantId) => RedisChannel.Literal($"leadspeer:tenant:{tenantId:N}:events");

    public async Task PublishAsync(Guid tenantId, LiveEvent liveEvent)
    {
        try
        {
            await redis.GetSubscriber().PublishAsync(ChannelFor(tenantId), JsonSerializer.Serialize(liveEvent, Json));
        }
        catch (Exception ex) when (RedisOutage.Is(ex))
        {
            // Live updates are a convenience: the change is committed, screens catch up on their next read.
            LogNotPublished(logger, liveEvent.Type, ex.GetType().Name);
        }
    }

    /// <summary>All at once: a hung Redis costs one command timeout, not one per event.</summary>
    public Task PublishAsync(IEnumerable<(Guid TenantId, LiveEvent Event)> events) =>
        Task.WhenAll(events.Select(e => PublishAsync(e.TenantId, e.Event)));

    [LoggerMessage(Level = LogLevel.Debug, Message = "Live event {Type} not published ({Reason}); screens catch up on their next read")]
    private static partial void LogNotPublished(ILogger logger, string type, string reason);
}
