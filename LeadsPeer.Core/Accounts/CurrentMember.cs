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

    /// <summary>
    /// The use case's own check, behind the host's policy: a route or a screen that forgets its
    /// check still cannot give a role more than the permission table says. Null when allowed,
    /// else the refusal to return (403 at the Api, a message in the dashboard).
    /// </summary>
    public UseCaseError? Refuses(Permission permission) =>
        Can(permission) ? null : UseCaseError.Forbidden($"Your role in this organisation does not allow this ({permission}).");

    /// <summary>The same check for a use case that answers with data rather than an outcome: it throws, and the hosts answer 403.</summary>
    public void Demand(Permission permission)
    {
        if (!Can(permission))
        {
            throw new PermissionDeniedException(permission);
        }
    }

    internal void Set(Guid userId, Guid? organizationId, OrganizationRole? role, bool organizationClosing = false)
    {
        UserId = userId;
        OrganizationId = organizationId;
        Role = role;
        OrganizationClosing = organizationClosing;
    }
}

/// <summary>A use case was called by someone whose role lacks its permission: a missing check at an edge, never a normal path.</summary>
public sealed class PermissionDeniedException(Permission permission)
    : Exception($"The signed-in member's role lacks the {permission} permission.")
{
    public Permission Permission { get; } = permission;
}
