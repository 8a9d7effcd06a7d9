using System.Net;
using System.Net.Http.Json;
using LeadsPeer.Testing;

namespace LeadsPeer.Api.Tests.Accounts;

/// <summary>
/// A business user deletes their own account: confirmed by their password, refused for the last
/// Owner of an open organisation, and afterwards their email is nowhere in the users table and
/// their organisation's trail says a member left.
/// </summary>
public sealed class AccountDeletionTests(TestStores stores) : IAsyncLifetime
{
    private ApiFactory _api = null!;
    private Db _db = null!;
    private HttpClient _owner = null!;
    private CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _api = await ApiFactory.CreateAsync(stores);
        _db = new Db(_api.DatabaseConnectionString);
        _owner = await _api.SignUpAsync("Leaving Loaves", "owner@leaving.example");
    }

    [Fact]
    public async Task The_last_owner_is_refused_and_a_member_with_the_right_password_is_deleted()
    {
        (await _owner.PostAsJsonAsync("/api/team/invitations", new { email = "op@leaving.example", role = "Operator" }, Ct)).EnsureSuccessStatusCode();
        using (var anonymous = _api.CreateClient())
        {
            (await anonymous.PostAsJsonAsync($"/api/team/invitations/{_api.InvitationTokenSentTo("op@leaving.example")}/accept",
                new { name = "Op", password = ApiFactory.Password }, Ct)).EnsureSuccessStatusCode();
        }

        using var member = await _api.SignInAsync("op@leaving.example", ApiFactory.Password);

        using var lastOwner = await DeleteAsync(_owner, ApiFactory.Password);
        using var wrongPassword = await DeleteAsync(member, "not my password");
        Assert.Equal((HttpStatusCode.Conflict, HttpStatusCode.BadRequest), (lastOwner.StatusCode, wrongPassword.StatusCode));
        Assert.Equal(2, await _db.CountAsync("users"));

        using var deleted = await DeleteAsync(member, ApiFactory.Password);

        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Equal(0, await _db.CountAsync("users", "email = 'op@leaving.example'"));
        Assert.Equal(1, await _db.CountAsync("memberships"));
        Assert.Equal(1, await _db.CountAsync("audit_entries", "action = 'account.delete' AND details = 'Operator'"));
        using var signIn = await _api.CreateClient().PostAsJsonAsync("/api/auth/login", new { email = "op@leaving.example", password = ApiFactory.Password }, Ct);
        Assert.Equal(HttpStatusCode.Unauthorized, signIn.StatusCode);
    }

    private Task<HttpResponseMessage> DeleteAsync(HttpClient client, string password) =>
        client.SendAsync(new HttpRequestMessage(HttpMethod.Delete, "/api/me") { Content = JsonContent.Create(new { password }) }, Ct);

    public async ValueTask DisposeAsync()
    {
        _owner.Dispose();
        await _api.DisposeAsync();
    }
}
