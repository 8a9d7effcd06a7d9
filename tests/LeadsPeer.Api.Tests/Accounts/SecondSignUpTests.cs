using System.Net;
using System.Net.Http.Json;
using LeadsPeer.Testing;

namespace LeadsPeer.Api.Tests.Accounts;

/// <summary>A person signed in to one business signs up another: a new organisation, not a 500, and nothing of the first changes.</summary>
public sealed class SecondSignUpTests(TestStores stores) : IAsyncLifetime
{
    private ApiFactory _api = null!;
    private CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _api = await ApiFactory.CreateAsync(stores);

    [Fact]
    public async Task A_signed_in_person_signs_up_a_second_business_or_is_told_their_email_is_taken()
    {
        using var owner = await _api.SignUpAsync("First Flowers", "first@flowers.example");
        var db = new Db(_api.DatabaseConnectionString);

        using var second = await owner.PostAsJsonAsync("/api/onboarding/signup",
            new { organizationName = "Second Flowers", name = "Flo", email = "second@flowers.example", password = ApiFactory.Password }, Ct);
        using var sameEmail = await owner.PostAsJsonAsync("/api/onboarding/signup",
            new { organizationName = "Third Flowers", name = "Flo", email = "first@flowers.example", password = ApiFactory.Password }, Ct);

        Assert.Equal((HttpStatusCode.Created, HttpStatusCode.Conflict), (second.StatusCode, sameEmail.StatusCode));
        Assert.Equal(["First Flowers", "Second Flowers"], (await db.RowsAsync("SELECT name FROM organizations ORDER BY name")).Select(r => (string)r[0]!));
        Assert.Equal(1, await db.CountAsync("memberships m JOIN users u ON u.id = m.user_id", "u.email = 'first@flowers.example'"));
    }

    public async ValueTask DisposeAsync() => await _api.DisposeAsync();
}
