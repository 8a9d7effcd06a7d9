using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LeadsPeer.Testing;

namespace LeadsPeer.Api.Tests.Accounts;

public sealed class PasswordResetAndSwitchingTests(TestStores stores) : IAsyncLifetime
{
    private ApiFactory _api = null!;
    private CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _api = await ApiFactory.CreateAsync(stores);

    [Fact]
    public async Task A_forgotten_password_is_reset_by_the_emailed_link_once_and_the_old_one_stops_working()
    {
        (await _api.SignUpAsync("Kilo Kitchens", "ken@kilo.example")).Dispose();
        using var anonymous = _api.CreateClient();

        using var forgot = await anonymous.PostAsJsonAsync("/api/auth/forgot-password", new { email = "ken@kilo.example" }, Ct);
        var token = _api.ResetTokenSentTo("ken@kilo.example");
        using var reset = await anonymous.PostAsJsonAsync("/api/auth/reset-password",
            new { email = "ken@kilo.example", token, newPassword = "a brand new passphrase" }, Ct);
        using var replay = await anonymous.PostAsJsonAsync("/api/auth/reset-password",
            new { email = "ken@kilo.example", token, newPassword = "yet another passphrase" }, Ct);
        using var oldLogin = await anonymous.PostAsJsonAsync("/api/auth/login", new { email = "ken@kilo.example", password = ApiFactory.Password }, Ct);

        Assert.Equal(HttpStatusCode.Accepted, forgot.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, reset.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, replay.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, oldLogin.StatusCode);
        (await _api.SignInAsync("ken@kilo.example", "a brand new passphrase")).Dispose();
    }

    [Fact]
    public async Task Asking_for_a_reset_of_an_unknown_address_looks_the_same_and_sends_nothing()
    {
        using var anonymous = _api.CreateClient();

        using var forgot = await anonymous.PostAsJsonAsync("/api/auth/forgot-password", new { email = "nobody@nowhere.example" }, Ct);

        Assert.Equal(HttpStatusCode.Accepted, forgot.StatusCode);
        Assert.Equal(0, _api.EmailsSentTo("nobody@nowhere.example"));
    }

    [Fact]
    public async Task A_person_in_two_organisations_switches_between_them_and_sees_each_ones_team()
    {
        using var agency = await _api.SignUpAsync("Lima Agency", "lee@lima.example");
        using var client = await _api.SignUpAsync("Mike Motors", "owner@mike.example");
        await client.PostAsJsonAsync("/api/team/invitations", new { email = "lee@lima.example", role = "Admin" }, Ct);
        (await agency.PostAsJsonAsync($"/api/team/invitations/{_api.InvitationTokenSentTo("lee@lima.example")}/accept", new { }, Ct)).Dispose();
        var me = await agency.GetFromJsonAsync<JsonElement>("/api/me", Ct);
        var limaId = me.GetProperty("memberships").EnumerateArray()
            .Single(m => m.GetProperty("organizationName").GetString() == "Lima Agency").GetProperty("organizationId").GetGuid();

        var mikeTeam = await agency.GetFromJsonAsync<JsonElement>("/api/team/members", Ct);
        using var switched = await agency.PutAsJsonAsync("/api/me/current-organization", new { organizationId = limaId }, Ct);
        var limaTeam = await agency.GetFromJsonAsync<JsonElement>("/api/team/members", Ct);
        using var notMine = await agency.PutAsJsonAsync("/api/me/current-organization", new { organizationId = Guid.NewGuid() }, Ct);

        Assert.Equal(2, mikeTeam.GetArrayLength());
        Assert.Equal(HttpStatusCode.NoContent, switched.StatusCode);
        Assert.Single(limaTeam.EnumerateArray());
        Assert.Equal(HttpStatusCode.NotFound, notMine.StatusCode);
        var after = await agency.GetFromJsonAsync<JsonElement>("/api/me", Ct);
        Assert.Equal("Owner", after.GetProperty("currentOrganization").GetProperty("role").GetString());
    }

    public async ValueTask DisposeAsync() => await _api.DisposeAsync();
}
