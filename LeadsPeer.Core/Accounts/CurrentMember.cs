namespace LeadsPeer.Core.Accounts;

/// <summary>
/// The signed-in person in the organisation they act for, resolved once per request (or circuit)
/// from the database — not from claims in a token, so a changed role or a removed membership
/// takes effect at once.
/// </summary>
public sealed class CurrentMember
{
    public Guid? UserId { get; private set; }
    public Guid? OrganizationId { get; private set; }
    public OrganizationRole? Role { get; private set; }

    /// <summary>The organisation is closing: its Owner can reach only the closure, the export and the privacy pages.</summary>
    public bool OrganizationClosing { get; private set; }

    public bool IsMember => OrganizationId is not null;

    public bool Can(Permission permission) =>
        Role is { } role && Permissions.Allows(role, permission) && (!OrganizationClosing || Permissions.WhileClosing.Contains(permission));

    internal void Set(Guid userId, Guid? organizationId, OrganizationRole? role, bool organizationClosing = false)
    {
        UserId = userId;
        OrganizationId = organizationId;
        Role = role;
        OrganizationClosing = organizationClosing;
    }
}
