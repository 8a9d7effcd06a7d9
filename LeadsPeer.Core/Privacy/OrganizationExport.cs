using LeadsPeer.Core.Tenancy;

namespace LeadsPeer.Core.Privacy;

/// <summary>
/// An Owner's export of the whole organisation: a ZIP of one JSON file per table, built by the
/// Worker and kept in PostgreSQL (replicas share no disk) until it is downloaded once or expires.
/// Its state is moved only by <see cref="OrganizationExports"/>.
/// </summary>
public sealed class OrganizationExport : ITenantOwned
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid TenantId { get; set; }
    public Guid? RequestedBy { get; set; }
    public ExportState State { get; set; }

    /// <summary>0–100 while it is built.</summary>
    public int Progress { get; set; }

    /// <summary>The ZIP; null before it is ready and again once downloaded or expired.</summary>
    public byte[]? Content { get; set; }
    public long Size { get; set; }
    public string? FailureReason { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? ReadyAt { get; set; }

    /// <summary>After this the file is deleted and its link answers 410.</summary>
    public DateTimeOffset? ExpiresAt { get; set; }
    public DateTimeOffset? DownloadedAt { get; set; }
}

public enum ExportState
{
    Pending,
    Running,
    Ready,
    Failed,

    /// <summary>Downloaded once; the file is gone.</summary>
    Downloaded,

    /// <summary>Not downloaded in time; the file is gone.</summary>
    Expired,
}
