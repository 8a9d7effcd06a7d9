using System.Text.RegularExpressions;
using LeadsPeer.Core.Conversations;
using LeadsPeer.Core.Conversations.Interactive;
using LeadsPeer.Core.Data;
using Microsoft.EntityFrameworkCore;
using Polly.Timeout;

namespace LeadsPeer.Core.WhatsApp.Sandbox;

public sealed record SandboxCustomerMessageSent(string WaMessageId, string From);

/// <summary>
/// A message the business sent to the simulated customer; <c>Interactive</c> / <c>Template</c> is its
/// Graph <c>interactive</c> / <c>template</c> object, <c>Choices</c> what it offered to tap.
/// </summary>
public sealed record SandboxInboxMessage(string WaMessageId, string Type, string? Text, DateTimeOffset CreatedAt,
    System.Text.Json.Nodes.JsonObject? Interactive = null, IReadOnlyList<Choice>? Choices = null, System.Text.Json.Nodes.JsonObject? Template = null);

/// <summary>
/// A line of the customer phone's chat: what the customer wrote (or tapped), or what the business
/// sent them — with its choices (buttons, a list behind <see cref="ListButton"/>, a template's
/// quick replies) or its link button.
/// </summary>
public sealed record SandboxChatMessage(bool FromCustomer, string Type, string? Text, DateTimeOffset At, string? WaMessageId = null, IReadOnlyList<Choice>? Choices = null)
{
    /// <summary>For a list: the label of the button that opens its rows.</summary>
    public string? ListButton { get; init; }

    /// <summary>For a link button: its text and https address.</summary>
    public (string Text, string Url)? Link { get; init; }

    /// <summary>For a product or product-list message: the SKUs it shows, which the customer can put in a cart.</summary>
    public IReadOnlyList<string>? Products { get; init; }
}

/// <summary>
/// The customer's side of a sandbox number: write to the business as a customer would (a signed
/// webhook through the real path), and read what the business sent back (what the simulator
/// received). The Api's sandbox endpoints and the dashboard's customer phone panel both use it.
/// </summary>
public sealed partial class SandboxPhone(LeadsPeerDbContext db, SandboxWebhooks webhooks, Catalog.CatalogQueries catalog, TimeProvider time)
{
    /// <summary>The simulated customer when none is named (a number in a range no real phone has).</summary>
    public const string DefaultCustomer = "15550000001";

    public const string DefaultCustomerName = "Sandbox customer";

    /// <summary>The most recent messages an inbox shows.</summary>
    public const int InboxSize = 200;

    /// <summary>
    /// Writes to the business as the simulated customer: a text, or (with <paramref name="replyId"/>)
    /// a tap on a reply button or list row — of the message <paramref name="contextId"/> when given,
    /// otherwise of the latest business message that offered that choice.
    /// </summary>
    public async Task<Outcome<SandboxCustomerMessageSent>> SendAsCustomerAsync(
        Guid connectionId, string? text, string? from, string? name, CancellationToken cancellationToken, string? replyId = null, string? contextId = null)
    {
        if (replyId is null && (string.IsNullOrWhiteSpace(text) || text.Length > Outbox.MaxTextLength))
        {
            return UseCaseError.Invalid("text", $"Write between 1 and {Outbox.MaxTextLength} characters, or tap a choice (replyId).");
        }

        if (replyId is not null && text is not null)
        {
            return UseCaseError.Invalid("replyId", "A customer either writes a text or taps a choice, not both at once.");
        }

        var customer = from ?? DefaultCustomer;
        if (!IsNumber(customer))
        {
            return UseCaseError.Invalid("from", "The customer's number is 6 to 15 digits, without + or spaces.");
        }

        if (await FindAsync(connectionId, cancellationToken) is not { } connection)
        {
            return UseCaseError.NotFound("No such sandbox number in this organisation.");
        }

        var wamid = SimulatedWebhooks.NewWamid();
        System.Text.Json.Nodes.JsonObject payload;
        if (replyId is null)
        {
            payload = SimulatedWebhooks.CustomerText(connection, customer, name ?? DefaultCustomerName, wamid, text!, time.GetUtcNow());
        }
        else if (await OfferedAsync(connection, customer, replyId, contextId, cancellationToken) is { } offered)
        {
            payload = offered.Message.Type == "template"
                ? SimulatedWebhooks.CustomerTemplateButton(connection, customer, name ?? DefaultCustomerName, wamid,
                    offered.Message.WaMessageId, offered.Choice.Id, offered.Choice.Title, time.GetUtcNow())
                : SimulatedWebhooks.CustomerTap(connection, customer, name ?? DefaultCustomerName, wamid,
                    offered.Message.WaMessageId, offered.FromList, offered.Choice.Id, offered.Choice.Title, time.GetUtcNow());
        }
        else
        {
            return UseCaseError.Invalid("replyId", contextId is null
                ? "No message the business sent this customer offers that choice."
                : "That message did not offer this choice to this customer.");
        }

        return await PostAsync(payload, wamid, customer, cancellationToken);
    }

    /// <summary>Posts the customer's message as Meta would (signed, to the webhook endpoint).</summary>
    private async Task<Outcome<SandboxCustomerMessageSent>> PostAsync(System.Text.Json.Nodes.JsonObject payload, string wamid, string customer, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await webhooks.PostAsync(payload, cancellationToken);
            return response.IsSuccessStatusCode
                ? new SandboxCustomerMessageSent(wamid, customer)
                : UseCaseError.Upstream($"The webhook endpoint refused the simulated message ({(int)response.StatusCode}).");
        }
        catch (Exception ex) when (ex is HttpRequestException or TimeoutRejectedException
                                   || (ex is TaskCanceledException && !cancellationToken.IsCancellationRequested))
        {
            // A retry is safe (the webhook is deduplicated by its message id), but it is the person's to make.
            return UseCaseError.Upstream("The webhook endpoint could not be reached: is the Api running? Try again in a moment.");
        }
    }

    /// <summary>The business message to this customer that offered <paramref name="choiceId"/>: the one named, or the latest.</summary>
    private async Task<(SandboxMessage Message, Choice Choice, bool FromList)?> OfferedAsync(
        WhatsAppConnection connection, string customer, string choiceId, string? contextId, CancellationToken cancellationToken)
    {
        var candidates = await db.SandboxMessages.AsNoTracking()
            .Where(m => m.ConnectionId == connection.Id && m.Recipient == customer && (m.Type == "interactive" || m.Type == "template")
                        && (contextId == null || m.WaMessageId == contextId))
            .OrderByDescending(m => m.CreatedAt).ThenByDescending(m => m.Id)
            .Take(InboxSize)
            .ToListAsync(cancellationToken);
        var templates = await TemplatesAsync(connection, candidates, cancellationToken);
        foreach (var message in candidates)
        {
            var body = System.Text.Json.Nodes.JsonNode.Parse(message.Body)?.AsObject();
            if (ChoicesOf(message.Type, body, templates).FirstOrDefault(c => c.Id == choiceId) is { } choice)
            {
                return (message, choice, body?["interactive"]?["type"]?.GetValue<string>() == InteractiveMessages.List);
            }
        }

        return null;
    }

    /// <summary>What a message offered to tap: an interactive message's buttons or rows, a template's quick replies (their payloads, or their text when sent without).</summary>
    private static IReadOnlyList<Choice> ChoicesOf(string type, System.Text.Json.Nodes.JsonObject? body, IReadOnlyDictionary<(string, string), SandboxTemplate> templates)
    {
        if (type != "template")
        {
            return InteractiveMessages.ChoicesOf(body);
        }

        var send = body?["template"];
        var key = (send?["name"]?.GetValue<string>() ?? "", send?["language"]?["code"]?.GetValue<string>() ?? "");
        if (!templates.TryGetValue(key, out var template))
        {
            return [];
        }

        var payloads = (send?["components"] as System.Text.Json.Nodes.JsonArray ?? []).OfType<System.Text.Json.Nodes.JsonObject>()
            .Where(c => c["type"]?.GetValue<string>() == "button")
            .ToDictionary(c => c["index"]?.GetValue<string>() ?? "", c => c["parameters"]?[0]?["payload"]?.GetValue<string>());
        return [.. Templates.TemplateShape.Parse(template.Components).Buttons
            .Select((button, index) => (button, index))
            .Where(b => b.button.Type == Templates.TemplateButton.QuickReply)
            .Select(b => new Choice(payloads.GetValueOrDefault(b.index.ToString(System.Globalization.CultureInfo.InvariantCulture)) ?? b.button.Text, b.button.Text))];
    }

    /// <summary>The simulator's templates the template messages among <paramref name="messages"/> name, by name and language.</summary>
    private async Task<IReadOnlyDictionary<(string, string), SandboxTemplate>> TemplatesAsync(
        WhatsAppConnection connection, IEnumerable<SandboxMessage> messages, CancellationToken cancellationToken)
    {
        if (!messages.Any(m => m.Type == "template"))
        {
            return new Dictionary<(string, string), SandboxTemplate>();
        }

        var templates = await db.SandboxTemplates.AsNoTracking().Where(t => t.WabaId == connection.WabaId).ToListAsync(cancellationToken);
        return templates.ToDictionary(t => (t.Name, t.Language));
    }

    /// <summary>What the business sent to <paramref name="customer"/> on the sandbox number, oldest first.</summary>
    public async Task<Outcome<IReadOnlyList<SandboxInboxMessage>>> InboxAsync(Guid connectionId, string? customer, CancellationToken cancellationToken)
    {
        if (await FindAsync(connectionId, cancellationToken) is not { } connection)
        {
            return UseCaseError.NotFound("No such sandbox number in this organisation.");
        }

        var recipient = customer ?? DefaultCustomer;
        var messages = await db.SandboxMessages.AsNoTracking()
            .Where(m => m.ConnectionId == connectionId && m.Recipient == recipient)
            .OrderByDescending(m => m.CreatedAt).ThenByDescending(m => m.Id)
            .Take(InboxSize)
            .ToListAsync(cancellationToken);
        messages.Reverse();
        var templates = await TemplatesAsync(connection, messages, cancellationToken);
        return messages.Select(m =>
        {
            var body = m.Type is "interactive" or "template" ? System.Text.Json.Nodes.JsonNode.Parse(m.Body)?.AsObject() : null;
            var choices = ChoicesOf(m.Type, body, templates);
            return new SandboxInboxMessage(m.WaMessageId, m.Type, m.Text, m.CreatedAt,
                body?["interactive"]?.DeepClone().AsObject(), choices.Count > 0 ? choices : null, body?["template"]?.DeepClone().AsObject());
        }).ToList();
    }

    /// <summary>
    /// Both sides of the chat, as the customer's phone shows it: the messages the business received
    /// from <paramref name="customer"/> (once the webhook is ingested) and what it sent them, oldest first.
    /// </summary>
    public async Task<Outcome<IReadOnlyList<SandboxChatMessage>>> ChatAsync(Guid connectionId, string? customer, CancellationToken cancellationToken)
    {
        var inbox = await InboxAsync(connectionId, customer, cancellationToken);
        if (!inbox.Succeeded)
        {
            return inbox.Error!;
        }

        var sender = customer ?? DefaultCustomer;
        var written = await (
                from m in db.Messages.AsNoTracking()
                join c in db.Conversations on m.ConversationId equals c.Id
                join k in db.Contacts on c.ContactId equals k.Id
                where c.ConnectionId == connectionId && k.WaId == sender && m.Direction == MessageDirection.Inbound
                orderby m.CreatedAt descending
                select new SandboxChatMessage(true, m.Type, m.Text, m.CreatedAt))
            .Take(InboxSize)
            .ToListAsync(cancellationToken);
        return written
            .Concat(inbox.Value!.Select(m => new SandboxChatMessage(false, m.Type, m.Text, m.CreatedAt, m.WaMessageId, m.Choices)
            {
                ListButton = m.Interactive?["type"]?.GetValue<string>() == InteractiveMessages.List ? m.Interactive["action"]?["button"]?.GetValue<string>() : null,
                Link = m.Interactive?["type"]?.GetValue<string>() == InteractiveMessages.CtaUrl
                    && m.Interactive["action"]?["parameters"] is { } link
                        ? (link["display_text"]?.GetValue<string>() ?? "", link["url"]?.GetValue<string>() ?? "")
                        : null,
                Products = InteractiveMessages.ProductsOfInteractive(m.Interactive) is { Count: > 0 } products ? products : null,
            }))
            .OrderBy(m => m.At)
            .TakeLast(InboxSize)
            .ToList();
    }

    private Task<WhatsAppConnection?> FindAsync(Guid id, CancellationToken cancellationToken) =>
        db.WhatsAppConnections.AsNoTracking().SingleOrDefaultAsync(
            c => c.Id == id && c.Kind == WhatsAppConnectionKind.Sandbox && c.Status != WhatsAppConnectionStatus.Removed, cancellationToken);

    private static bool IsNumber(string customer) => PhoneNumber().IsMatch(customer);

    [GeneratedRegex("^[0-9]{6,15}$")]
    private static partial Regex PhoneNumber();
}
