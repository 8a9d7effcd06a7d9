namespace LeadsPeer.Core.Tenancy;

/// <summary>
/// The organisation the current unit of work acts for (one per DI scope). It is set from the
/// signed-in user (dashboard, API) or from the WhatsApp connection a webhook or work item
/// belongs to. Unset means "no tenant": tenant-owned queries then return nothing.
/// </summary>
public sealed class TenantContext
{
    public Guid? TenantId { get; private set; }

    public void Set(Guid tenantId)
    {
        if (tenantId == Guid.Empty)
        {
            throw new ArgumentException("A tenant id cannot be empty.", nameof(tenantId));
        }

        // One scope acts for one tenant; switching mid-scope would mix tenants' tracked entities.
        if (TenantId is { } current && current != tenantId)
        {
            throw new InvalidOperationException("This scope already acts for another organisation.");
        }

        TenantId = tenantId;
    }
}
