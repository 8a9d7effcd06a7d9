using LeadsPeer.Core.Tenancy;

namespace LeadsPeer.Core.Accounts;

/// <summary>
/// A person's place in one organisation. People belong to organisations through memberships,
/// not a tenant column on the user, because one person (an agency) may serve several businesses.
/// </summary>
public sealed class Membership : ITenantOwned
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid TenantId { get; set; }
    public Guid UserId { get; set; }
    public OrganizationRole Role { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

public enum OrganizationRole
{
    Owner,
    Admin,
    Operator,
}
