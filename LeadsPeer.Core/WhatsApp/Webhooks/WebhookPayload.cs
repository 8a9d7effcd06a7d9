using System.Globalization;
using System.Text.Json;
using LeadsPeer.Core.Conversations;
using LeadsPeer.Core.WhatsApp.Templates;

namespace LeadsPeer.Core.WhatsApp.Webhooks;

/// <summary>Everything one webhook POST carries for the numbers it names.</summary>
public sealed record WebhookPayload(IReadOnlyList<WebhookChange> Changes, IReadOnlyList<TemplateEvent>? TemplateEvents = null)
{
    /// <summary>No message and no delivery status: nothing for ingest's batch (template events are applied on their own).</summary>
    public bool IsEmpty => Changes.All(c => c.Messages.Count == 0 && c.Statuses.Count == 0);

    public IReadOnlyList<TemplateEvent> Templates => TemplateEvents ?? [];
}

/// <summary>One <c>changes[].value</c> of field <c>messages</c>, for one phone number.</summary>
public sealed record WebhookChange(
    string PhoneNumberId,
    IReadOnlyList<InboundMessage> Messages,
    IReadOnlyList<StatusUpdate> Statuses,
    IReadOnlyList<WebhookError> Errors);

/// <summary>A customer's message, with the type-specific fields kept as Meta sent them.</summary>
public sealed record InboundMessage(
    string WaMessageId,
    string CustomerKey,
    string? WaId,
    string? UserId,
    string? ProfileName,
    DateTimeOffset Timestamp,
    string Type,
    string? Text,
    string Payload);

/// <summary>A delivery status of a message the business sent.</summary>
public sealed record StatusUpdate(string WaMessageId, MessageStatus Status, DateTimeOffset Timestamp, int? ErrorCode, string? ErrorTitle);

/// <summary>A system error Meta reports for the number (<c>value.errors[]</c>).</summary>
public sealed record WebhookError(int? Code, string? Title);

/// <summary>
/// Reads Meta's webhook JSON: <c>messages</c> changes (per phone number) and the template
/// changes (per WABA, <see cref="TemplateEvent"/>). Anything else is skipped (Meta expects 200 for events we do not use); a part that cannot be routed
/// or identified (no <c>metadata.phone_number_id</c>, a message without an id) is skipped and
/// counted in <see cref="Skipped"/>, never guessed.
/// </summary>
public sealed class WebhookPayloadReader
{
    public const string BusinessAccountObject = "whatsapp_business_account";
    private const int MaxTypeLength = 32;
    private const int MaxWamidLength = 256;
    private const int MaxWaIdLength = 32;
    private const int MaxUserIdLength = 128;
    private const int MaxNameLength = 256;

    public int Skipped { get; private set; }

    /// <summary>Parses <paramref name="json"/>; throws <see cref="JsonException"/> when it is not a JSON object.</summary>
    public WebhookPayload Read(ReadOnlyMemory<byte> json, DateTimeOffset now)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new JsonException("A webhook body must be a JSON object.");
        }

        if (Str(root, "object") != BusinessAccountObject || !root.TryGetProperty("entry", out var entries) || entries.ValueKind != JsonValueKind.Array)
        {
            return new WebhookPayload([]);
        }

        var changes = new List<WebhookChange>();
        var templates = new List<TemplateEvent>();
        foreach (var entry in entries.EnumerateArray())
        {
            if (entry.ValueKind != JsonValueKind.Object || !entry.TryGetProperty("changes", out var entryChanges) || entryChanges.ValueKind != JsonValueKind.Array)
            {
                continue;
            }

            foreach (var change in entryChanges.EnumerateArray())
            {
                if (change.ValueKind != JsonValueKind.Object || !change.TryGetProperty("value", out var value) || value.ValueKind != JsonValueKind.Object)
                {
                    continue;
                }

                var field = Str(change, "field");
                if (field == "messages" && ReadChange(value, now) is { } read)
                {
                    changes.Add(read);
                }
                else if (field is not null && TemplateEvent.Fields.Contains(field))
                {
                    if (ReadTemplateEvent(Str(entry, "id"), field, value) is { } templateEvent)
                    {
                        templates.Add(templateEvent);
                    }
                }
            }
        }

        return new WebhookPayload(changes, templates);
    }

    /// <summary>A template change names the WABA (the entry's id) and the template; without both it cannot be routed.</summary>
    private TemplateEvent? ReadTemplateEvent(string? wabaId, string field, JsonElement value)
    {
        var templateId = Str(value, "message_template_id");
        var name = Str(value, "message_template_name");
        if (string.IsNullOrEmpty(wabaId) || wabaId.Length > 64 || (templateId is null && name is null) || templateId?.Length > 64 || name?.Length > 512)
        {
            Skipped++;
            return null;
        }

        return new TemplateEvent(wabaId, field, templateId, name, Str(value, "message_template_language"),
            Event: Str(value, "event"), Reason: Str(value, "reason"), Quality: Str(value, "new_quality_score"), Category: Str(value, "new_category"));
    }

    private WebhookChange? ReadChange(JsonElement value, DateTimeOffset now)
    {
        var phoneNumberId = value.TryGetProperty("metadata", out var metadata) ? Str(metadata, "phone_number_id") : null;
        if (string.IsNullOrEmpty(phoneNumberId))
        {
            Skipped++;
            return null;
        }

        var contacts = Array(value, "contacts")
            .Select(c => (WaId: Str(c, "wa_id"), UserId: Str(c, "user_id"),
                Name: c.TryGetProperty("profile", out var p) ? Str(p, "name") : null))
            .ToList();

        var messages = new List<InboundMessage>();
        foreach (var message in Array(value, "messages"))
        {
            var id = Str(message, "id");
            var waId = Str(message, "from");
            var userId = Str(message, "from_user_id");
            var contact = contacts.FirstOrDefault(c => (waId is not null && c.WaId == waId) || (userId is not null && c.UserId == userId));
            if (contact == default && contacts.Count == 1)
            {
                contact = contacts[0];
            }

            waId ??= contact.WaId;
            userId ??= contact.UserId;
            var customerKey = userId ?? waId;
            // Ids longer than their columns are not Meta's: skipped, so they cannot fail the transaction of the webhooks stored with them.
            if (string.IsNullOrEmpty(id) || string.IsNullOrEmpty(customerKey)
                || id.Length > MaxWamidLength || waId?.Length > MaxWaIdLength || userId?.Length > MaxUserIdLength)
            {
                Skipped++;
                continue;
            }

            var type = Str(message, "type") ?? "unknown";
            var name = contact.Name is { Length: > MaxNameLength } longName ? longName[..MaxNameLength] : contact.Name;
            messages.Add(new InboundMessage(
                id, customerKey, waId, userId, name, Timestamp(message, now),
                type.Length > MaxTypeLength ? type[..MaxTypeLength] : type,
                TextOf(message, type),
                message.GetRawText()));
        }

        var statuses = new List<StatusUpdate>();
        foreach (var status in Array(value, "statuses"))
        {
            var id = Str(status, "id");
            MessageStatus? state = Str(status, "status") switch
            {
                "sent" => MessageStatus.Sent,
                "delivered" => MessageStatus.Delivered,
                "read" => MessageStatus.Read,
                "failed" => MessageStatus.Failed,
                _ => null,
            };
            if (string.IsNullOrEmpty(id) || id.Length > MaxWamidLength || state is null)
            {
                Skipped++;
                continue;
            }

            var error = Array(status, "errors").Select(e => new WebhookError(Int(e, "code"), Str(e, "title") ?? Str(e, "message"))).FirstOrDefault();
            statuses.Add(new StatusUpdate(id, state.Value, Timestamp(status, now), error?.Code, error?.Title));
        }

        var errors = Array(value, "errors").Select(e => new WebhookError(Int(e, "code"), Str(e, "title"))).ToList();
        return new WebhookChange(phoneNumberId, messages, statuses, errors);
    }

    /// <summary>The words a screen or the agent reads for each message type; the full fields stay in the payload.</summary>
    private static string? TextOf(JsonElement message, string type)
    {
        if (!message.TryGetProperty(type, out var body))
        {
            return null;
        }

        return type switch
        {
            "text" => Str(body, "body"),
            "interactive" => Str(body, "type") switch
            {
                "button_reply" => Prop(body, "button_reply", "title"),
                "list_reply" => Prop(body, "list_reply", "title"),
                "nfm_reply" => Prop(body, "nfm_reply", "body") ?? Prop(body, "nfm_reply", "name"),
                _ => null,
            },
            "button" => Str(body, "text"),
            "image" or "video" or "sticker" or "audio" => Str(body, "caption"),
            "document" => Str(body, "caption") ?? Str(body, "filename"),
            "location" => Join(Str(body, "name"), Str(body, "address"))
                ?? (body.TryGetProperty("latitude", out var lat) && body.TryGetProperty("longitude", out var lon) ? $"{lat.GetRawText()}, {lon.GetRawText()}" : null),
            "contacts" => body.ValueKind == JsonValueKind.Array
                ? Join([.. body.EnumerateArray().Select(c => c.TryGetProperty("name", out var n) ? Str(n, "formatted_name") : null)])
                : null,
            "reaction" => Str(body, "emoji"),
            "order" => Str(body, "text"),
            _ => null,
        };
    }

    private static DateTimeOffset Timestamp(JsonElement element, DateTimeOffset now) =>
        long.TryParse(Str(element, "timestamp"), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            ? DateTimeOffset.FromUnixTimeSeconds(seconds)
            : now;

    private static IEnumerable<JsonElement> Array(JsonElement parent, string name) =>
        parent.ValueKind == JsonValueKind.Object && parent.TryGetProperty(name, out var array) && array.ValueKind == JsonValueKind.Array
            ? array.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.Object)
            : [];

    private static string? Str(JsonElement parent, string name) =>
        parent.ValueKind == JsonValueKind.Object && parent.TryGetProperty(name, out var value)
            ? value.ValueKind switch
            {
                JsonValueKind.String => value.GetString(),
                JsonValueKind.Number => value.GetRawText(),
                _ => null,
            }
            : null;

    private static string? Prop(JsonElement parent, string child, string name) =>
        parent.TryGetProperty(child, out var value) ? Str(value, name) : null;

    private static int? Int(JsonElement parent, string name) =>
        int.TryParse(Str(parent, name), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number) ? number : null;

    private static string? Join(params string?[] parts)
    {
        var present = parts.Where(p => !string.IsNullOrWhiteSpace(p)).ToArray();
        return present.Length == 0 ? null : string.Join(", ", present);
    }
}
