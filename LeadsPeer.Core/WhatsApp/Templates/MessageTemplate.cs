using LeadsPeer.Core.Tenancy;

namespace LeadsPeer.Core.WhatsApp.Templates;

/// <summary>
/// A message template of the WhatsApp Business Account behind a connection, as last synced from
/// Meta (or as submitted, until Meta's review answers). Meta owns the truth; this row is the
/// product's copy, written only by <see cref="TemplateCatalog"/>.
/// </summary>
public sealed class MessageTemplate : ITenantOwned
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid TenantId { get; set; }
    public Guid ConnectionId { get; set; }

    /// <summary>Meta's template id (<c>message_template_id</c> in status webhooks).</summary>
    public string? MetaId { get; set; }
    public required string Name { get; set; }

    /// <summary>Meta's language code, e.g. <c>en_US</c>; a name has one template per language.</summary>
    public required string Language { get; set; }

    /// <summary>The category Meta last gave it: Meta may re-categorise a UTILITY template as MARKETING.</summary>
    public TemplateCategory Category { get; set; }
    public TemplateStatus Status { get; set; }

    /// <summary>Meta's reason for a rejection, pause or disabling; null when there is none.</summary>
    public string? StatusReason { get; set; }

    /// <summary>Meta's quality score: GREEN, YELLOW, RED or UNKNOWN.</summary>
    public string? Quality { get; set; }

    /// <summary>Positional (<c>{{1}}</c>) or named (<c>{{first_name}}</c>) variables.</summary>
    public TemplateParameterFormat ParameterFormat { get; set; }

    /// <summary>The template's components in Meta's JSON (header, body, footer, buttons).</summary>
    public required string Components { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}

public enum TemplateCategory
{
    Marketing,
    Utility,
    Authentication,
}

/// <summary>Meta's review and health states of a template; only <see cref="Approved"/> ones can be sent.</summary>
public enum TemplateStatus
{
    Pending,
    Approved,
    Rejected,
    Paused,
    Disabled,
    InAppeal,
    PendingDeletion,
    Deleted,
    LimitExceeded,
    Archived,

    /// <summary>A state Meta added after this code was written: not sendable until understood.</summary>
    Unknown,
}

public enum TemplateParameterFormat
{
    Positional,
    Named,
}

/// <summary>Meta's SCREAMING_SNAKE names of categories and states.</summary>
public static class MetaNames
{
    public static TemplateStatus Status(string? meta) =>
        Enum.TryParse<TemplateStatus>(meta?.Replace("_", ""), ignoreCase: true, out var status) && Enum.IsDefined(status) ? status : TemplateStatus.Unknown;

    public static TemplateCategory? Category(string? meta) =>
        Enum.TryParse<TemplateCategory>(meta, ignoreCase: true, out var category) && Enum.IsDefined(category) ? category : null;

    public static string Of(TemplateCategory category) => category.ToString().ToUpperInvariant();

    public static string Of(TemplateStatus status) => status switch
    {
        TemplateStatus.InAppeal => "IN_APPEAL",
        TemplateStatus.PendingDeletion => "PENDING_DELETION",
        TemplateStatus.LimitExceeded => "LIMIT_EXCEEDED",
        _ => status.ToString().ToUpperInvariant(),
    };

    public static string Of(TemplateParameterFormat format) => format.ToString().ToUpperInvariant();
}
