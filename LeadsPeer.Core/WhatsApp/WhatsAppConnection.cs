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
    public WhatsAppConnectionKind Kind { get; set; }
    public WhatsAppConnectionStatus Status { get; set; }

    /// <summary>The access token, AES-256-GCM encrypted; null once the connection is removed.</summary>
    public byte[]? EncryptedAccessToken { get; set; }

    /// <summary>Which configured key encrypted the token, so keys can rotate.</summary>
    public string? TokenKeyId { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}

public enum WhatsAppConnectionKind
{
    EmbeddedSignup,
    Sandbox,
}

public enum WhatsAppConnectionStatus
{
    Active,
    Failing,
    Removed,
}
