using System.Net;
using System.Net.Http.Json;
using LeadsPeer.Core.Accounts;
using LeadsPeer.Core.Team;
using LeadsPeer.Core.WhatsApp;
using LeadsPeer.Testing;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Infrastructure;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace LeadsPeer.Api.Tests.Security;

/// <summary>
/// Authorization in depth: the Api's fallback policy closes every endpoint that does not say
/// otherwise, the anonymous ones are a deliberate short list, and the Core use cases check the
/// permission themselves — an Operator reaching an Owner's use case through a route that forgot
/// its policy is still refused.
/// </summary>
public sealed class FallbackPolicyTests(TestStores stores) : IAsyncLifetime
{
    /// <summary>Every endpoint anyone may call without signing in, and why.</summary>
    private static readonly HashSet<string> Anonymous =
    [
        "/", "/alive", "/health", "/openapi/{documentName}.json", "/scalar/{documentName?}",                  // what the service is and whether it is up (the reference page's own files aside)
        "/webhooks/whatsapp",                                                                                 // Meta (signed)
        "/api/onboarding/signup", "/api/auth/login", "/api/auth/refresh", "/api/auth/logout",
        "/api/auth/forgot-password", "/api/auth/reset-password", "/api/team/invitations/{token}/accept",     // becoming someone
        "/simulator/{version}/{phoneNumberId}/messages", "/simulator/{version}/{wabaId}/message_templates",    // Graph's stand-in, checking its bearer tokens itself
        "/calendar/{file}",                                                                                   // a staff calendar feed: the link's token is the credential
    ];

    private ApiFactory _api = null!;

    public async ValueTask InitializeAsync()
    {
        _api = await ApiFactory.CreateAsync(stores);
        _api.CreateClient().Dispose();
    }

    [Fact]
    public async Task Anything_not_marked_anonymous_needs_a_signed_in_person_and_the_anonymous_endpoints_are_the_listed_ones()
    {
        var fallback = await _api.Services.GetRequiredService<IAuthorizationPolicyProvider>().GetFallbackPolicyAsync();
        var endpoints = _api.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>().ToList();

        Assert.NotNull(fallback);
        Assert.Contains(fallback.Requirements, r => r is DenyAnonymousAuthorizationRequirement);
        var open = endpoints.Where(e => e.Metadata.GetMetadata<IAllowAnonymous>() is not null).Select(e => "/" + e.RoutePattern.RawText!.Trim('/')).ToHashSet();
        Assert.Equal(Anonymous.Order(), open.Where(p => !p.StartsWith("/scalar/", StringComparison.Ordinal) || p == "/scalar/{documentName?}").Order());
    }

    [Fact]
    public async Task An_address_nothing_answers_is_a_404_for_anyone_while_a_real_route_asks_for_sign_in()
    {
        using var anonymous = _api.CreateClient();

        using var unknown = await anonymous.PostAsync("/api/no-such-thing", null, TestContext.Current.CancellationToken);
        using var known = await anonymous.GetAsync("/api/conversations", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, known.StatusCode);
    }

    [Fact]
    public async Task An_Operator_calling_an_Owner_or_Admin_use_case_directly_is_refused_by_the_use_case_itself()
    {
        using var owner = await _api.SignUpAsync("Depth Co", "owner@depth.example");
        using var invite = await owner.PostAsJsonAsync("/api/team/invitations", new { email = "op@depth.example", role = "Operator" }, TestContext.Current.CancellationToken);
        invite.EnsureSuccessStatusCode();
        using var anonymous = _api.CreateClient();
        (await anonymous.PostAsJsonAsync($"/api/team/invitations/{_api.InvitationTokenSentTo("op@depth.example")}/accept",
            new { name = "Opal", password = ApiFactory.Password }, TestContext.Current.CancellationToken)).EnsureSuccessStatusCode();
        var operatorId = (await new Db(_api.DatabaseConnectionString).RowsAsync("SELECT id FROM users WHERE email = 'op@depth.example'")).Single()[0]!;

        // As a route with no policy of its own would run them: in a scope acting for the Operator.
        await using var scope = _api.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<MemberResolver>().ResolveAsync((Guid)operatorId, TestContext.Current.CancellationToken);
        var services = scope.ServiceProvider;
        var ct = TestContext.Current.CancellationToken;

        var refusals = new[]
        {
            (await services.GetRequiredService<Invitations>().InviteAsync("x@depth.example", OrganizationRole.Operator, ct)).Error,
            (await services.GetRequiredService<TeamMembers>().RemoveMemberAsync(Guid.NewGuid(), ct)).Error,
            (await services.GetRequiredService<ConnectionService>().CreateSandboxAsync(ct)).Error,
            (await services.GetRequiredService<LeadsPeer.Core.Knowledge.KnowledgeService>().CreateFaqAsync("Q?", "A.", ct)).Error,
            (await services.GetRequiredService<LeadsPeer.Core.Audit.AuditQueries>().ListAsync(null, null, null, null, null, null, ct)).Error,
            (await services.GetRequiredService<LeadsPeer.Core.Privacy.OrganizationClosure>().CloseAsync("Depth Co", ct)).Error,
        };

        Assert.All(refusals, error => Assert.Equal(LeadsPeer.Core.FailureKind.Forbidden, error?.Kind));
        await Assert.ThrowsAsync<PermissionDeniedException>(() => services.GetRequiredService<Invitations>().ListInvitationsAsync(ct));
        Assert.Equal(0, await new Db(_api.DatabaseConnectionString).CountAsync("whats_app_connections"));
    }

    public async ValueTask DisposeAsync() => await _api.DisposeAsync();
}
