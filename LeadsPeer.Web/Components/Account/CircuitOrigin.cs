using LeadsPeer.Core.Audit;
using Microsoft.AspNetCore.Components.Server.Circuits;

namespace LeadsPeer.Web.Components.Account;

/// <summary>
/// The address a dashboard action came from, for the audit, as the Api records its requests':
/// a circuit is one connection, so it takes the address of the connection that opened it (after
/// the forwarded headers of a configured proxy), and every use case of the circuit
/// (<see cref="Core.Accounts.MemberScopes"/>) records it.
/// </summary>
internal sealed class CircuitOrigin(IHttpContextAccessor http, RequestOrigin origin) : CircuitHandler
{
    public override Task OnCircuitOpenedAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        origin.IpAddress ??= http.HttpContext?.Connection.RemoteIpAddress?.ToString();
        return Task.CompletedTask;
    }
}
