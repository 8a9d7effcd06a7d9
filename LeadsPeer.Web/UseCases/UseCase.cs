using LeadsPeer.Core.Accounts;

namespace LeadsPeer.Web.UseCases;

/// <summary>
/// A Core service as the dashboard's components call it: every call in a DI scope of its own
/// acting for the circuit's member. Injecting the service itself would share the circuit's one
/// <c>DbContext</c> between every page and live reload of the circuit — an operator moving on
/// while a page still loads would start a second operation on it and end the circuit.
/// </summary>
public sealed class UseCase<TService>(MemberScopes scopes) where TService : notnull
{
    public async Task<TResult> RunAsync<TResult>(Func<TService, Task<TResult>> work)
    {
        await using var scope = scopes.Create();
        return await work(scope.ServiceProvider.GetRequiredService<TService>());
    }

    public async Task RunAsync(Func<TService, Task> work)
    {
        await using var scope = scopes.Create();
        await work(scope.ServiceProvider.GetRequiredService<TService>());
    }

    public TResult Run<TResult>(Func<TService, TResult> work)
    {
        using var scope = scopes.Create();
        return work(scope.ServiceProvider.GetRequiredService<TService>());
    }
}
