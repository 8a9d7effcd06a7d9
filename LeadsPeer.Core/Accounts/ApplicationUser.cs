using Microsoft.AspNetCore.Identity;

namespace LeadsPeer.Core.Accounts;

/// <summary>
/// A person who signs in. Not tenant-owned: one person may belong to several organisations
/// (memberships are added with accounts and roles).
/// </summary>
public sealed class ApplicationUser : IdentityUser<Guid>
{
    public string? DisplayName { get; set; }

    /// <summary>The organisation the dashboard and API act for; one of the user's memberships.</summary>
    public Guid? CurrentOrganizationId { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}
