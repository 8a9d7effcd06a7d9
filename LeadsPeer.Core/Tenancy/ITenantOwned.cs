namespace LeadsPeer.Core.Tenancy;

/// <summary>
/// A row that belongs to one organisation. The <c>DbContext</c> hides every such row of
/// other organisations and refuses to write one for another organisation.
/// </summary>
public interface ITenantOwned
{
    Guid TenantId { get; set; }
}
