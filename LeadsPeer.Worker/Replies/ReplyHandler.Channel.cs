using LeadsPeer.Core.Conversations;
using LeadsPeer.Core.WhatsApp;

namespace LeadsPeer.Worker.Replies;

/// <summary>What a turn does on the channel besides its reply: blue ticks while it is prepared, and one message's length.</summary>
public sealed partial class ReplyHandler
{
    /// <summary>One WhatsApp message: a longer answer is cut at the last sentence that fits.</summary>
    internal static string Fit(string text)
    {
        if (text.Length <= Outbox.MaxTextLength)
        {
            return text;
        }

        var cut = text[..(Outbox.MaxTextLength - 1)];
        var end = cut.LastIndexOfAny(['.', '!', '?', '\n']);
        return end > Outbox.MaxTextLength / 2 ? cut[..(end + 1)] : cut + "…";
    }

    /// <summary>Blue ticks and "typing…" while the answer is prepared. Cosmetic: a failure never holds the reply back.</summary>
    private async Task MarkReadAsync(Conversation conversation, Message last, CancellationToken cancellationToken)
    {
        if (last.WaMessageId is null || await graph.ForConversationAsync(conversation.Id, cancellationToken) is not { } connection)
        {
            return;
        }

        try
        {
            await connection.MarkReadAsync(last.WaMessageId, typing: true, cancellationToken);
        }
        catch (Exception ex) when (ex is GraphApiException or HttpRequestException or TimeoutException or Polly.Timeout.TimeoutRejectedException
                                       or System.Security.Cryptography.CryptographicException)
        {
            LogMarkReadFailed(logger, connection.Connection.Id, ex.GetType().Name);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Marking a message read on connection {ConnectionId} failed ({Reason}); the reply goes on")]
    private static partial void LogMarkReadFailed(ILogger logger, Guid connectionId, string reason);
}
