using System.Text.RegularExpressions;
using LeadsPeer.Core.Conversations;
using LeadsPeer.Core.Data;
using Microsoft.EntityFrameworkCore;
using Polly.Timeout;

namespace LeadsPeer.Core.WhatsApp.Sandbox;

public sealed record SandboxCustomerMessageSent(string WaMessageId, string From);

public sealed record SandboxInboxMessage(string WaMessageId, string Type, string? Text, DateTimeOffset CreatedAt);

/// <summary>A line of the customer phone's chat: what the customer wrote, or what the business sent them.</summary>
public sealed record SandboxChatMessage(bool FromCustomer, string Type, string? Text, DateTimeOffset At);

/// <summary>
/// The customer's side of a sandbox number: write to the business as a customer would (a signed
/// webhook through the real path), and read what the business sent back (what the simulator
/// received). The Api's sandbox endpoints and the dashboard's customer phone panel both use it.
/// </summary>
public sealed partial class SandboxPhone(LeadsPeerDbContext db, SandboxWebhooks webhooks, TimeProvider time)
{
    /// <summary>The simulated customer when none is named (a number in a range no real phone has).</summary>
    public const string DefaultCustomer = "15550000001";

    public const string DefaultCustomerName = "Sandbox customer";

    /// <summary>The most recent messages an inbox shows.</summary>
    public const int InboxSize = 200;

    public async Task<Outcome<SandboxCustomerMessageSent>> SendAsCustomerAsync(
        Guid connectionId, string? text, string? from, string? name, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(text) || text.Length > Outbox.MaxTextLength)
        {
            return UseCaseError.Invalid("text", $"Write between 1 and {Outbox.MaxTextLength} characters.");
        }

        var customer = from ?? DefaultCustomer;
        if (!PhoneNumber().IsMatch(customer))
        {
            return UseCaseError.Invalid("from", "The customer's number is 6 to 15 digits, without + or spaces.");
        }

        if (await FindAsync(connectionId, cancellationToken) is not { } connection)
        {
            return UseCaseError.NotFound("No such sandbox number in this organisation.");
        }

        var wamid = SimulatedWebhooks.NewWamid();
        var payload = SimulatedWebhooks.CustomerText(connection, customer, name ?? DefaultCustomerName, wamid, text, time.GetUtcNow());
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

    /// <summary>What the business sent to <paramref name="customer"/> on the sandbox number, oldest first.</summary>
    public async Task<Outcome<IReadOnlyList<SandboxInboxMessage>>> InboxAsync(Guid connectionId, string? customer, CancellationToken cancellationToken)
    {
        if (await FindAsync(connectionId, cancellationToken) is null)
        {
            return UseCaseError.NotFound("No such sandbox number in this organisation.");
        }

        var recipient = customer ?? DefaultCustomer;
        var messages = await db.SandboxMessages.AsNoTracking()
            .Where(m => m.ConnectionId == connectionId && m.Recipient == recipient)
            .OrderByDescending(m => m.CreatedAt).ThenByDescending(m => m.Id)
            .Take(InboxSize)
            .Select(m => new SandboxInboxMessage(m.WaMessageId, m.Type, m.Text, m.CreatedAt))
            .ToListAsync(cancellationToken);
        messages.Reverse();
        return messages;
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
            .Concat(inbox.Value!.Select(m => new SandboxChatMessage(false, m.Type, m.Text, m.CreatedAt)))
            .OrderBy(m => m.At)
            .TakeLast(InboxSize)
            .ToList();
    }

    private Task<WhatsAppConnection?> FindAsync(Guid id, CancellationToken cancellationToken) =>
        db.WhatsAppConnections.AsNoTracking().SingleOrDefaultAsync(
            c => c.Id == id && c.Kind == WhatsAppConnectionKind.Sandbox && c.Status != WhatsAppConnectionStatus.Removed, cancellationToken);

    [GeneratedRegex("^[0-9]{6,15}$")]
    private static partial Regex PhoneNumber();
}
