using System.Text.Json;
using LeadsPeer.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace LeadsPeer.Core.Conversations.Interactive;

/// <summary>
/// A customer's tap on a choice a business message offered: the conversation, the customer's
/// message that carries the tap (the turn — reply with <c>replyToTurn: Inbound.Id</c>, so a turn
/// is answered once), the message it answers and the choice.
/// </summary>
public sealed record Tap(Conversation Conversation, Message Inbound, Message Asked, Choice Choice);

/// <summary>
/// A component that asks customers questions with choices (a guided flow) and handles their
/// taps: it sends with <c>askedBy: Name</c> (<see cref="Outbox.EnqueueInteractiveAsync"/>), and a
/// tap on that message comes back to it, however long after.
/// </summary>
public interface ITapHandler
{
    /// <summary>The name messages are registered under (at most 64 characters).</summary>
    string Name { get; }

    Task HandleAsync(Tap tap, CancellationToken cancellationToken);
}

/// <summary>
/// Routes a tap by the message it answers (<c>context.id</c>, never "the latest message": customers
/// scroll up) to the component that asked. A tap on a message nobody registered for, or whose
/// component this process does not have, is not routed: the agent reads its title like words.
/// </summary>
public sealed partial class TapRouter(LeadsPeerDbContext db, IEnumerable<ITapHandler> handlers, ILogger<TapRouter> logger)
{
    /// <summary>The tap a customer's message carries (a reply button, a list row, a template's quick reply); null for other messages.</summary>
    public static (string AnsweredWamid, Choice Choice)? Read(Message inbound)
    {
        if (inbound.Direction != MessageDirection.Inbound || inbound.Type is not ("interactive" or "button") || inbound.Payload is null)
        {
            return null;
        }

        using var json = JsonDocument.Parse(inbound.Payload);
        var root = json.RootElement;
        if (!root.TryGetProperty("context", out var context) || Str(context, "id") is not { } answered)
        {
            return null;
        }

        if (inbound.Type == "button")
        {
            return root.TryGetProperty("button", out var button) && Str(button, "payload") is { } payload
                ? (answered, new Choice(payload, Str(button, "text") ?? payload))
                : null;
        }

        if (!root.TryGetProperty("interactive", out var interactive) || Str(interactive, "type") is not ("button_reply" or "list_reply") || !interactive.TryGetProperty(Str(interactive, "type")!, out var reply))
        {
            return null;
        }

        return Str(reply, "id") is { } id ? (answered, new Choice(id, Str(reply, "title") ?? id)) : null;
    }

    /// <summary>The business message <paramref name="inbound"/> taps a choice of, and the choice; null when it is no tap or answers no message of this conversation.</summary>
    public async Task<(Message Asked, Choice Choice)?> FindAskedAsync(Conversation conversation, Message inbound, CancellationToken cancellationToken)
    {
        if (Read(inbound) is not { } tap)
        {
            return null;
        }

        var asked = await db.Messages.AsNoTracking().SingleOrDefaultAsync(
            m => m.ConversationId == conversation.Id && m.Direction == MessageDirection.Outbound && m.WaMessageId == tap.AnsweredWamid, cancellationToken);
        return asked is null ? null : (asked, tap.Choice);
    }

    /// <summary>Hands <paramref name="inbound"/> to the component that asked; true when one took it.</summary>
    public async Task<bool> RouteAsync(Conversation conversation, Message inbound, CancellationToken cancellationToken)
    {
        if (await FindAskedAsync(conversation, inbound, cancellationToken) is not { Asked: var asked, Choice: var choice } || asked.AskedBy is not { } name)
        {
            return false;
        }

        if (handlers.FirstOrDefault(h => h.Name == name) is not { } handler)
        {
            LogNoHandler(logger, name, asked.Id);
            return false;
        }

        await handler.HandleAsync(new Tap(conversation, inbound, asked, choice), cancellationToken);
        return true;
    }

    private static string? Str(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    [LoggerMessage(Level = LogLevel.Warning, Message = "A tap on message {MessageId} was asked by {Handler}, which this process does not have: read as words")]
    private static partial void LogNoHandler(ILogger logger, string handler, Guid messageId);
}
