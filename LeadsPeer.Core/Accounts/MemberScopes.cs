using LeadsPeer.Core.Tenancy;
using Microsoft.Extensions.DependencyInjection;

namespace LeadsPeer.Core.Accounts;

/// <summary>
/// New DI scopes that act for the same member and organisation as this one. A dashboard circuit
/// lives for hours and runs many things at once (pages, live reloads, clicks), while a
/// <c>DbContext</c> takes one operation at a time: each use case runs in a scope of its own,
/// with the member the circuit resolved and the address it came from.
/// </summary>
public sealed class MemberScopes(IServiceScopeFactory scopes, CurrentMember member, Audit.RequestOrigin origin)
{
    public AsyncServiceScope Create()
    {
        var scope = scopes.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<Audit.RequestOrigin>().IpAddress = origin.IpAddress;
        if (member.UserId is { } userId)
        {
            scope.ServiceProvider.GetRequiredService<CurrentMember>().Set(userId, member.OrganizationId, member.Role);
            if (member.OrganizationId is { } organizationId)
            {
                scope.ServiceProvider.GetRequiredService<TenantContext>().Set(organizationId);
            }
        }

        return scope;
    }
}
