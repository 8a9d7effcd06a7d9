using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LeadsPeer.Testing;

namespace LeadsPeer.Api.Tests.Team;

public sealed class TeamTests(TestStores stores) : IAsyncLifetime
{
    private ApiFactory _api = null!;
    private CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _api = await ApiFactory.CreateAsync(stores);

    [Fact]
    public async Task An_invited_person_accepts_once_gets_an_account_with_the_invited_role_and_the_link_cannot_be_reused()
    {
        using var owner = await _api.SignUpAsync("Gamma Garden", "owner@gamma.example");
        using var invite = await owner.PostAsJsonAsync("/api/team/invitations", new { email = "dana@gamma.example", role = "Admin" }, Ct);
        Assert.Equal(HttpStatusCode.Created, invite.StatusCode);
        var token = _api.InvitationTokenSentTo("dana@gamma.example");

        using var anonymous = _api.CreateClient();
        using var accepted = await anonymous.PostAsJsonAsync($"/api/team/invitations/{token}/accept",
            new { name = "Dana", password = ApiFactory.Password }, Ct);
        using var reused = await anonymous.PostAsJsonAsync($"/api/team/invitations/{token}/accept",
            new { name = "Mallory", password = ApiFactory.Password }, Ct);

        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        Assert.Equal(HttpStatusCode.Gone, reused.StatusCode);
        using var dana = await _api.SignInAsync("dana@gamma.example", ApiFactory.Password);
        var me = await dana.GetFromJsonAsync<JsonElement>("/api/me", Ct);
        Assert.Equal("Gamma Garden", me.GetProperty("currentOrganization").GetProperty("organizationName").GetString());
        Assert.Equal("Admin", me.GetProperty("currentOrganization").GetProperty("role").GetString());
        var invitations = await owner.GetFromJsonAsync<JsonElement>("/api/team/invitations", Ct);
        Assert.Equal("Accepted", invitations[0].GetProperty("state").GetString());
    }

    [Fact]
    public async Task Revoked_and_expired_invitations_cannot_be_accepted()
    {
        using var owner = await _api.SignUpAsync("Delta Deli", "owner@delta.example");
        using var first = await owner.PostAsJsonAsync("/api/team/invitations", new { email = "revoked@delta.example", role = "Operator" }, Ct);
        var revokedId = (await first.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetGuid();
        var revokedToken = _api.InvitationTokenSentTo("revoked@delta.example");
        await owner.PostAsJsonAsync("/api/team/invitations", new { email = "late@delta.example", role = "Operator" }, Ct);
        var lateToken = _api.InvitationTokenSentTo("late@delta.example");

        using var revoke = await owner.DeleteAsync($"/api/team/invitations/{revokedId}", Ct);
        _api.Clock.Advance(TimeSpan.FromDays(7) + TimeSpan.FromMinutes(1));
        using var anonymous = _api.CreateClient();
        using var acceptRevoked = await anonymous.PostAsJsonAsync($"/api/team/invitations/{revokedToken}/accept",
            new { name = "Rev", password = ApiFactory.Password }, Ct);
        using var acceptLate = await anonymous.PostAsJsonAsync($"/api/team/invitations/{lateToken}/accept",
            new { name = "Late", password = ApiFactory.Password }, Ct);

        Assert.Equal(HttpStatusCode.NoContent, revoke.StatusCode);
        Assert.Equal(HttpStatusCode.Gone, acceptRevoked.StatusCode);
        Assert.Equal(HttpStatusCode.Gone, acceptLate.StatusCode);
        Assert.Equal("application/problem+json", acceptLate.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task The_last_owner_can_be_neither_demoted_nor_removed_until_there_is_another()
    {
        using var owner = await _api.SignUpAsync("Echo Eats", "owner@echo.example");
        var me = await owner.GetFromJsonAsync<JsonElement>("/api/me", Ct);
        var ownerId = me.GetProperty("userId").GetGuid();

        using var demote = await owner.PutAsJsonAsync($"/api/team/members/{ownerId}", new { role = "Admin" }, Ct);
        using var remove = await owner.DeleteAsync($"/api/team/members/{ownerId}", Ct);
        Assert.Equal(HttpStatusCode.Conflict, demote.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, remove.StatusCode);

        var secondId = await AddMemberAsync(owner, "second@echo.example", "Owner");
        using var demoteNow = await owner.PutAsJsonAsync($"/api/team/members/{ownerId}", new { role = "Admin" }, Ct);
        Assert.Equal(HttpStatusCode.OK, demoteNow.StatusCode);
        var members = await owner.GetFromJsonAsync<JsonElement>("/api/team/members", Ct);
        Assert.Equal("Owner", members.EnumerateArray().Single(m => m.GetProperty("userId").GetGuid() == secondId).GetProperty("role").GetString());
    }

    [Fact]
    public async Task Each_role_is_allowed_and_refused_as_the_permission_table_says()
    {
        using var owner = await _api.SignUpAsync("Foxtrot Foods", "owner@foxtrot.example");
        await AddMemberAsync(owner, "op@foxtrot.example", "Operator");
        await AddMemberAsync(owner, "admin@foxtrot.example", "Admin");
        using var operatorClient = await _api.SignInAsync("op@foxtrot.example", ApiFactory.Password);
        using var admin = await _api.SignInAsync("admin@foxtrot.example", ApiFactory.Password);
        var ownerId = (await owner.GetFromJsonAsync<JsonElement>("/api/me", Ct)).GetProperty("userId").GetGuid();

        using var operatorLists = await operatorClient.GetAsync("/api/team/members", Ct);
        using var operatorInvites = await operatorClient.PostAsJsonAsync("/api/team/invitations", new { email = "x@foxtrot.example", role = "Operator" }, Ct);
        using var adminInvites = await admin.PostAsJsonAsync("/api/team/invitations", new { email = "y@foxtrot.example", role = "Operator" }, Ct);
        using var adminInvitesOwner = await admin.PostAsJsonAsync("/api/team/invitations", new { email = "z@foxtrot.example", role = "Owner" }, Ct);
        using var adminRemovesOwner = await admin.DeleteAsync($"/api/team/members/{ownerId}", Ct);

        Assert.Equal(HttpStatusCode.OK, operatorLists.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, operatorInvites.StatusCode);
        Assert.Equal(HttpStatusCode.Created, adminInvites.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, adminInvitesOwner.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, adminRemovesOwner.StatusCode);
    }

    [Fact]
    public async Task Another_organisations_members_and_invitations_are_not_found()
    {
        using var alpha = await _api.SignUpAsync("Golf Goods", "owner@golf.example");
        using var beta = await _api.SignUpAsync("Hotel Home", "owner@hotel.example");
        var alphaOwnerId = (await alpha.GetFromJsonAsync<JsonElement>("/api/me", Ct)).GetProperty("userId").GetGuid();
        using var invitation = await alpha.PostAsJsonAsync("/api/team/invitations", new { email = "new@golf.example", role = "Operator" }, Ct);
        var invitationId = (await invitation.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetGuid();

        using var changeRole = await beta.PutAsJsonAsync($"/api/team/members/{alphaOwnerId}", new { role = "Operator" }, Ct);
        using var remove = await beta.DeleteAsync($"/api/team/members/{alphaOwnerId}", Ct);
        using var revoke = await beta.DeleteAsync($"/api/team/invitations/{invitationId}", Ct);
        var betaMembers = await beta.GetFromJsonAsync<JsonElement>("/api/team/members", Ct);
        var betaInvitations = await beta.GetFromJsonAsync<JsonElement>("/api/team/invitations", Ct);

        Assert.Equal(HttpStatusCode.NotFound, changeRole.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, remove.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, revoke.StatusCode);
        Assert.Single(betaMembers.EnumerateArray());
        Assert.Empty(betaInvitations.EnumerateArray());
        var alphaInvitations = await alpha.GetFromJsonAsync<JsonElement>("/api/team/invitations", Ct);
        Assert.Equal("Pending", alphaInvitations[0].GetProperty("state").GetString());
    }

    [Fact]
    public async Task A_person_already_signed_in_joins_a_second_organisation_and_belongs_to_both()
    {
        using var agency = await _api.SignUpAsync("India Agency", "kim@india.example");
        using var client = await _api.SignUpAsync("Juliet Jewels", "owner@juliet.example");
        await client.PostAsJsonAsync("/api/team/invitations", new { email = "kim@india.example", role = "Operator" }, Ct);
        var token = _api.InvitationTokenSentTo("kim@india.example");

        using var accepted = await agency.PostAsJsonAsync($"/api/team/invitations/{token}/accept", new { }, Ct);

        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        var me = await agency.GetFromJsonAsync<JsonElement>("/api/me", Ct);
        Assert.Equal(["India Agency", "Juliet Jewels"],
            me.GetProperty("memberships").EnumerateArray().Select(m => m.GetProperty("organizationName").GetString()));
        Assert.Equal("Juliet Jewels", me.GetProperty("currentOrganization").GetProperty("organizationName").GetString());
        Assert.Equal(["HandleConversations"], me.GetProperty("permissions").EnumerateArray().Select(p => p.GetString()));
    }

    private async Task<Guid> AddMemberAsync(HttpClient owner, string email, string role)
    {
        using var invite = await owner.PostAsJsonAsync("/api/team/invitations", new { email, role }, Ct);
        invite.EnsureSuccessStatusCode();
        using var anonymous = _api.CreateClient();
        using var accepted = await anonymous.PostAsJsonAsync($"/api/team/invitations/{_api.InvitationTokenSentTo(email)}/accept",
            new { name = "Member " + role, password = ApiFactory.Password }, Ct);
        accepted.EnsureSuccessStatusCode();
        return (await accepted.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("userId").GetGuid();
    }

    public async ValueTask DisposeAsync() => await _api.DisposeAsync();
}
