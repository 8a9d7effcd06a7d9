using System.Collections.Frozen;

namespace LeadsPeer.Core.Accounts;

/// <summary>What a person may do in an organisation. Each is also a named authorization policy.</summary>
public enum Permission
{
    ManageTeam,
    ManageWhatsApp,
    ManageKnowledge,
    ManageAgent,

    /// <summary>Change the catalog and how the organisation takes orders (every member sees orders and moves them on).</summary>
    ManageCatalog,

    /// <summary>Set up what can be booked: opening hours, services, staff (every member sees bookings and moves them).</summary>
    ManageBookings,

    /// <summary>Let the staff calendar feeds carry customers' names, which then pass through the calendar providers' servers.</summary>
    ShareCustomersInFeeds,
    HandleConversations,
    ViewActivity,

    /// <summary>Act on a customer's privacy request: export, correct, restrict or erase what is held about them.</summary>
    ManageCustomerData,

    /// <summary>Export the whole organisation's data (a ZIP of every table).</summary>
    ExportOrganization,

    /// <summary>Close the organisation (its data deleted after the grace period), or cancel that.</summary>
    CloseOrganization,
}

/// <summary>
/// The one written permission table. Every host enforces it through the policies named after
/// <see cref="Permission"/>; nothing else decides who may do what.
/// </summary>
public static class Permissions
{
    private static readonly FrozenDictionary<OrganizationRole, FrozenSet<Permission>> Table =
        new Dictionary<OrganizationRole, FrozenSet<Permission>>
        {
            // The owner is answerable for the business: everything, including the WhatsApp number.
            [OrganizationRole.Owner] = Enum.GetValues<Permission>().ToFrozenSet(),
            // Admins run the workspace day to day; closing the business, taking all of it away, or sending customers' names to calendar providers is the owner's decision.
            [OrganizationRole.Admin] = Enum.GetValues<Permission>().Except([Permission.CloseOrganization, Permission.ExportOrganization, Permission.ShareCustomersInFeeds]).ToFrozenSet(),
            // Operators talk to customers; they do not change the set-up.
            [OrganizationRole.Operator] = new[] { Permission.HandleConversations }.ToFrozenSet(),
        }.ToFrozenDictionary();

    /// <summary>
    /// What is left while an organisation is closing: its Owner may cancel the closure, export its
    /// data and answer customers' privacy requests; nothing else (no sending, no set-up).
    /// </summary>
    public static readonly FrozenSet<Permission> WhileClosing = new[] { Permission.CloseOrganization, Permission.ExportOrganization, Permission.ManageCustomerData }.ToFrozenSet();

    public static bool Allows(OrganizationRole role, Permission permission) => Table[role].Contains(permission);

    public static IReadOnlyCollection<Permission> Of(OrganizationRole role) => Table[role];

    /// <summary>The policy name of a permission, e.g. <c>Permission:ManageTeam</c>.</summary>
    public static string PolicyName(Permission permission) => $"Permission:{permission}";
}
