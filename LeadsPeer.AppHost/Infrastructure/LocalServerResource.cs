using Aspire.Hosting.ApplicationModel;

namespace LeadsPeer.AppHost.Infrastructure;

/// <summary>
/// A server the machine already has (postgres, redis-server), run as an executable resource on
/// one fixed loopback port, with a password from an AppHost parameter.
/// </summary>
internal abstract class LocalServerResource(string name, string command, string workingDirectory, ParameterResource password)
    : ExecutableResource(name, command, workingDirectory), IResourceWithConnectionString
{
    public const string EndpointName = "tcp";

    public ParameterResource Password { get; } = password;

    public EndpointReference Endpoint => new(this, EndpointName);

    public abstract ReferenceExpression ConnectionStringExpression { get; }
}
