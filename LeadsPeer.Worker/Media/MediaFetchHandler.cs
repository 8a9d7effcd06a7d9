using System.Security.Cryptography;
using System.Text.Json;
using LeadsPeer.Core.Conversations;
using LeadsPeer.Core.Data;
using LeadsPeer.Core.WhatsApp;
using LeadsPeer.Core.Work;
using LeadsPeer.Worker.Work;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace LeadsPeer.Worker.Media;

/// <summary>
/// Keeps the file of an inbound media message (when <see cref="ChannelOptions.KeepInboundMedia"/>
/// is on): asks Graph where it is, downloads it with the number's token while the URL is valid,
/// checks Meta's SHA-256, and stores it beside the message.
/// </summary>
public sealed partial class MediaFetchHandler(
    LeadsPeerDbContext db,
    GraphGateway graph,
    IOptions<ChannelOptions> channel,
    TimeProvider time,
    ILogger<MediaFetchHandler> logger) : IWorkHandler
{
    public WorkKind Kind => WorkKind.FetchMedia;

    public async Task<WorkResult> HandleAsync(WorkLease lease, CancellationToken cancellationToken)
    {
        var message = await db.Messages.AsNoTracking().SingleOrDefaultAsync(m => m.Id == lease.SubjectId, cancellationToken);
        if (message?.Payload is null || await db.MediaFiles.AnyAsync(f => f.MessageId == message.Id, cancellationToken))
        {
            return WorkResult.Done;
        }

        using var payload = JsonDocument.Parse(message.Payload);
        if (!payload.RootElement.TryGetProperty(message.Type, out var media) || !media.TryGetProperty("id", out var idElement) || idElement.GetString() is not { } mediaId)
        {
            return WorkResult.Done;
        }

        if (await graph.ForConversationAsync(message.ConversationId, cancellationToken) is not { } connection)
        {
            return WorkResult.Done;
        }

        var info = await connection.GetMediaAsync(mediaId, cancellationToken);
        if (!Uri.TryCreate(info.Url, UriKind.Absolute, out var url) || !connection.IsMediaUrlAllowed(url))
        {
            // The token goes to Meta's media hosts only; the message keeps Meta's metadata.
            LogForeignHost(logger, message.Id);
            return WorkResult.Done;
        }

        var content = await connection.DownloadMediaAsync(url, channel.Value.MaxMediaBytes, cancellationToken);
        if (content is null)
        {
            LogTooLarge(logger, message.Id, channel.Value.MaxMediaBytes);
            return WorkResult.Done;
        }

        if (info.Sha256 is { Length: > 0 } expected && !Matches(content, expected))
        {
            return new WorkResult.Later(time.GetUtcNow() + TimeSpan.FromSeconds(5), "The downloaded file does not match Meta's SHA-256", CountsAsAttempt: true);
        }

        db.MediaFiles.Add(new MediaFile
        {
            TenantId = message.TenantId,
            MessageId = message.Id,
            MediaId = mediaId,
            MimeType = info.MimeType,
            Size = content.LongLength,
            Content = content,
            CreatedAt = time.GetUtcNow(),
        });
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (StoreErrors.IsUniqueViolation(ex))
        {
            // Another run stored it first: the file is there, which is all this run was for.
            LogAlreadyStored(logger, message.Id);
        }

        return WorkResult.Done;
    }

    // Meta writes the hash as hex in the media answer; accept base64 too.
    private static bool Matches(byte[] content, string expected)
    {
        var hash = SHA256.HashData(content);
        return string.Equals(Convert.ToHexString(hash), expected, StringComparison.OrdinalIgnoreCase)
            || Convert.ToBase64String(hash) == expected;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Media of message {MessageId} is not on Meta's media hosts: not downloaded, only its metadata is kept")]
    private static partial void LogForeignHost(ILogger logger, Guid messageId);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Media of message {MessageId} was stored by another run")]
    private static partial void LogAlreadyStored(ILogger logger, Guid messageId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Media of message {MessageId} is larger than {MaxBytes} bytes: only its metadata is kept")]
    private static partial void LogTooLarge(ILogger logger, Guid messageId, long maxBytes);
}
