using Microsoft.EntityFrameworkCore;

namespace LeadsPeer.Core.Data;

public static class AcrossTenantsExtensions
{
    /// <summary>
    /// Reads every organisation's rows, lifting only the tenant filter. The one way code crosses
    /// tenants (webhook routing, invitations by token, a person's own memberships, operations
    /// tasks), so each crossing is easy to find in review.
    /// </summary>
    public static IQueryable<T> AcrossTenants<T>(this IQueryable<T> query) where T : class =>
        query.IgnoreQueryFilters([LeadsPeerDbContext.TenantFilter]);
}
