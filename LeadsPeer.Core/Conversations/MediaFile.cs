using LeadsPeer.Core.Tenancy;

namespace LeadsPeer.Core.Conversations;

/// <summary>
/// The file behind an inbound image, video, audio, sticker or document, fetched from Graph's
/// media endpoint (its URL expires in minutes). Kept only when <c>Channel:KeepInboundMedia</c>
/// says so; otherwise the message keeps only Meta's metadata.
/// </summary>
public sealed class MediaFile : ITenantOwned
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid TenantId { get; set; }
    public Guid MessageId { get; set; }

    /// <summary>Meta's media id, from the webhook.</summary>
    public required string MediaId { get; set; }
    public string? MimeType { get; set; }
    public long Size { get; set; }
    public required byte[] Content { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}
