using Bunit;
using LeadsPeer.Core.Accounts;
using LeadsPeer.Core.Live;
using LeadsPeer.Web.Live;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Rendering;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.Extensions.DependencyInjection;

namespace LeadsPeer.Web.Tests.Live;

/// <summary>The one way screens stay current: subscribe after render, coalesce, poll while paused, report failures.</summary>
public sealed class LiveComponentBaseTests : WebComponentTest
{
    private readonly Guid _tenant = Guid.NewGuid();

    public LiveComponentBaseTests() =>
        Services.GetRequiredService<CurrentMember>().Set(Guid.NewGuid(), _tenant, OrganizationRole.Operator);

    private LiveUpdates Live => Services.GetRequiredService<LiveUpdates>();

    [Fact]
    public async Task A_burst_of_events_is_one_refresh_and_other_screens_events_none()
    {
        var screen = Render<CountingScreen>();

        // As Redis delivers them: each message handled as it comes, without waiting for the one before.
        await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => Live.DeliverAsync(_tenant, new LiveEvent(LiveEventTypes.MessageAdded))));

        await Live.DeliverAsync(_tenant, new LiveEvent(LiveEventTypes.DocumentProgress));
        await Live.DeliverAsync(Guid.NewGuid(), new LiveEvent(LiveEventTypes.MessageAdded));

        screen.WaitForAssertion(() => Assert.Equal("refreshed 1", screen.Find("p").TextContent), TimeSpan.FromSeconds(5));
        // A later event is a later refresh: the burst's window has closed.
        await Live.DeliverAsync(_tenant, new LiveEvent(LiveEventTypes.MessageAdded));
        screen.WaitForAssertion(() => Assert.Equal("refreshed 2", screen.Find("p").TextContent), TimeSpan.FromSeconds(5));
    }

    [Fact]
    public void While_live_updates_are_paused_the_screen_refreshes_on_its_timer()
    {
        // The test context's Redis is unreachable: live updates are paused.
        Assert.False(Live.IsLive);

        var screen = Render<CountingScreen>(p => p.Add(s => s.Every, TimeSpan.FromMilliseconds(100)));

        screen.WaitForAssertion(() => Assert.True(screen.Instance.Refreshes >= 2), TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task After_disposal_no_event_reaches_the_screen()
    {
        var closed = Render<CountingScreen>().Instance;
        var open = Render<CountingScreen>();

        await closed.DisposeAsync();
        await Live.DeliverAsync(_tenant, new LiveEvent(LiveEventTypes.MessageAdded));

        // The screen still open refreshed for the same event: the closed one would have by now.
        open.WaitForAssertion(() => Assert.Equal(1, open.Instance.Refreshes), TimeSpan.FromSeconds(5));
        Assert.Equal(0, closed.Refreshes);
    }

    [Fact]
    public async Task A_refresh_that_fails_after_an_event_reaches_the_error_boundary()
    {
        var boundary = Render<ErrorBoundary>(p => p
            .Add(b => b.ChildContent, (RenderFragment)(builder =>
            {
                builder.OpenComponent<CountingScreen>(0);
                builder.AddAttribute(1, nameof(CountingScreen.Fails), true);
                builder.CloseComponent();
            }))
            .Add(b => b.ErrorContent, (RenderFragment<Exception>)(error => builder => builder.AddContent(0, $"error: {error.Message}"))));

        await Live.DeliverAsync(_tenant, new LiveEvent(LiveEventTypes.MessageAdded));

        boundary.WaitForAssertion(() => Assert.Contains("error: the store is down", boundary.Markup), TimeSpan.FromSeconds(5));
    }

    /// <summary>A screen that counts its refreshes and follows only message events.</summary>
    public sealed class CountingScreen : LiveComponentBase
    {
        [Parameter]
        public TimeSpan Every { get; set; } = TimeSpan.FromMinutes(10);

        [Parameter]
        public bool Fails { get; set; }

        public int Refreshes { get; private set; }

        protected override TimeSpan PollInterval => Every;

        protected override bool Concerns(LiveEvent liveEvent) => liveEvent.Type == LiveEventTypes.MessageAdded;

        protected override Task RefreshAsync()
        {
            Refreshes++;
            return Fails ? throw new InvalidOperationException("the store is down") : Task.CompletedTask;
        }

        protected override void BuildRenderTree(RenderTreeBuilder builder) => builder.AddMarkupContent(0, $"<p>refreshed {Refreshes}</p>");
    }
}
