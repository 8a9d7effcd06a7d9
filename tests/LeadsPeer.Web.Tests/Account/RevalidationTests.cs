using LeadsPeer.Core.Accounts;
using LeadsPeer.Testing;
using LeadsPeer.Web.Components.Account;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace LeadsPeer.Web.Tests.Account;

/// <summary>The check every open circuit runs each minute, on the Web's own services and a real database.</summary>
public sealed class RevalidationTests(TestStores stores)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_circuit_stays_signed_in_until_the_persons_role_or_security_stamp_changes_or_the_account_is_gone()
    {
        var database = await stores.CreateMigratedDatabaseAsync();
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Development" });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:leadspeer"] = database,
            ["ConnectionStrings:redis"] = stores.Redis.ConnectionString,
        });
        builder.AddWebServices();
        await using var web = builder.Build();

        Guid userId;
        Guid organizationId;
        await using (var setup = web.Services.CreateAsyncScope())
        {
            var created = (SignUpResult.Created)await setup.ServiceProvider.GetRequiredService<SignUpService>()
                .SignUpAsync(new SignUpRequest("Circuit Cafe", "Cleo", "cleo@circuit.example", "correct horse battery staple"), Ct);
            (userId, organizationId) = (created.UserId, created.OrganizationId);
        }

        // The circuit: its member resolved once, as MemberGate does, and the principal its sign-in made.
        await using var circuit = web.Services.CreateAsyncScope();
        await circuit.ServiceProvider.GetRequiredService<MemberResolver>().ResolveAsync(userId, Ct);
        var users = circuit.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var user = (await users.FindByIdAsync(userId.ToString()))!;
        var state = new AuthenticationState(await circuit.ServiceProvider.GetRequiredService<IUserClaimsPrincipalFactory<ApplicationUser>>().CreateAsync(user));
        var provider = (RevalidatingMemberStateProvider)circuit.ServiceProvider.GetRequiredService<AuthenticationStateProvider>();

        var unchanged = await provider.StillMayActAsync(state, Ct);
        await SetRoleAsync(database, organizationId, userId, OrganizationRole.Admin);
        var demoted = await provider.StillMayActAsync(state, Ct);
        await SetRoleAsync(database, organizationId, userId, OrganizationRole.Owner);
        var restored = await provider.StillMayActAsync(state, Ct);
        await users.UpdateSecurityStampAsync(user); // a password reset or "sign out everywhere"
        var newStamp = await provider.StillMayActAsync(state, Ct);

        Assert.True(unchanged);
        Assert.False(demoted);
        Assert.True(restored);
        Assert.False(newStamp);
    }

    private static async Task SetRoleAsync(string database, Guid organizationId, Guid userId, OrganizationRole role)
    {
        await using var db = TestStores.CreateDbContext(database, organizationId);
        await db.Memberships.Where(m => m.UserId == userId).ExecuteUpdateAsync(s => s.SetProperty(m => m.Role, role), Ct);
    }
}
