using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Json;
using LeadsPeer.Testing;

namespace LeadsPeer.Api.Tests.Privacy;

/// <summary>
/// An invitation's token is a credential in its link's path: the request's trace records the path
/// with the token redacted, and no tag of any activity carries it.
/// </summary>
public sealed class TracePrivacyTests(TestStores stores) : IAsyncLifetime
{
    private ApiFactory _api = null!;
    private CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _api = await ApiFactory.CreateAsync(stores);

    [Fact]
    public async Task An_invitation_token_in_the_path_is_redacted_in_the_trace()
    {
        using var owner = await _api.SignUpAsync("Traced Tarts", "owner@traced.example");
        (await owner.PostAsJsonAsync("/api/team/invitations", new { email = "new@traced.example", role = "Operator" }, Ct)).EnsureSuccessStatusCode();
        var token = _api.InvitationTokenSentTo("new@traced.example");
        var stopped = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal),
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = stopped.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);

        using var anonymous = _api.CreateClient();
        // The listener hears every test of the assembly: this request is told apart by its own trace id.
        var traceId = ActivityTraceId.CreateRandom();
        using var accept = new HttpRequestMessage(HttpMethod.Post, $"/api/team/invitations/{token}/accept")
        {
            Content = JsonContent.Create(new { name = "New", password = ApiFactory.Password }),
        };
        accept.Headers.Add("traceparent", $"00-{traceId.ToHexString()}-{ActivitySpanId.CreateRandom().ToHexString()}-01");
        (await anonymous.SendAsync(accept, Ct)).EnsureSuccessStatusCode();

        var request = Assert.Single(stopped, a => a.TraceId == traceId && a.GetTagItem("url.path") is string);
        Assert.Equal("/api/team/invitations/[redacted]/accept", request.GetTagItem("url.path"));
        Assert.DoesNotContain(stopped, a => a.DisplayName.Contains(token, StringComparison.Ordinal)
            || a.TagObjects.Any(t => t.Value?.ToString()?.Contains(token, StringComparison.Ordinal) == true));
    }

    public async ValueTask DisposeAsync() => await _api.DisposeAsync();
}
