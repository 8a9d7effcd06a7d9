using LeadsPeer.Core.Tenancy;

namespace LeadsPeer.Core.WhatsApp;

/// <summary>An organisation's WhatsApp Business phone number, connected through Embedded Signup or as a sandbox.</summary>
public sealed class WhatsAppConnection : ITenantOwned
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid TenantId { get; set; }

    /// <summary>Meta's id of the phone number; webhooks are routed to the tenant by it, so it is unique across tenants.</summary>
    public required string PhoneNumberId { get; set; }
    public required string WabaId { get; set; }
    public string? DisplayPhoneNumber { get; set; }
    public string? VerifiedName { get; set; }

    /// <summary>Meta's quality rating of the number (GREEN, YELLOW, RED, UNKNOWN).</summary>
    public string? QualityRating { get; set; }
    public WhatsAppConnectionKind Kind { get; set; }
    public WhatsAppConnectionStatus Status { get; set; }

    /// <summary>The access token, AES-256-GCM encrypted; null once the connection is removed.</summary>
    public byte[]? EncryptedAccessToken { get; set; }

    /// <summary>Which configured key encrypted the token, so keys can rotate.</summary>
    public string? TokenKeyId { get; set; }

    /// <summary>The two-step verification PIN the number was registered with, encrypted like the token.</summary>
    public byte[]? EncryptedPin { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? RemovedAt { get; set; }

    /// <summary>When Meta last delivered a webhook for the number (updated at most once a minute).</summary>
    public DateTimeOffset? LastWebhookAt { get; set; }

    /// <summary>What went wrong with the connection, in words for the business (e.g. after Meta rejected the token).</summary>
    public string? StatusReason { get; set; }

    /// <summary>
    /// Sandbox numbers only: the customer service window used instead of Meta's 24 hours (null:
    /// the configured default), so what happens once it closes can be tried in minutes.
    /// </summary>
    public TimeSpan? SandboxServiceWindow { get; set; }

    /// <summary>
    /// Set while the organisation is closing: nothing is sent from the number and its webhooks are
    /// answered and dropped. Cleared when the closure is cancelled. Beside <see cref="Status"/>, so
    /// a number that needed re-authorisation still needs it afterwards.
    /// </summary>
    public DateTimeOffset? SuspendedAt { get; set; }
}

public enum WhatsAppConnectionKind
{
    EmbeddedSignup,
    Sandbox,
}

public enum WhatsAppConnectionStatus
{
    Active,

    /// <summary>Meta rejected the token (error 190): sending stops until Embedded Signup runs again for the number.</summary>
    NeedsReauthorization,
    Removed,
}
