using LeadsPeer.Core.Accounts;
using LeadsPeer.Core.Live;
using Microsoft.AspNetCore.Components;

namespace LeadsPeer.Web.Live;

/// <summary>
/// A screen that stays current without a reload, the one way every live screen does it:
/// it subscribes to its organisation's live events after the first render (a prerendered page
/// never holds a subscription), turns a burst of events into one <see cref="RefreshAsync"/>,
/// re-reads on a timer while live updates are paused (Redis down), and hands a refresh that
/// fails after an event to the page's error boundary (<see cref="ComponentBase.DispatchExceptionAsync"/>)
/// instead of leaving a stale screen that looks current. Events only say "look again": the
/// refresh re-reads PostgreSQL.
/// </summary>
public abstract partial class LiveComponentBase : ComponentBase, IAsyncDisposable
{
    private IDisposable? _subscription;
    private PeriodicTimer? _poll;
    private Task? _polling;
    private int _refreshPending;
    private volatile bool _disposed;

    [Inject]
    protected LiveUpdates Live { get; set; } = default!;

    [Inject]
    private CurrentMember LiveMember { get; set; } = default!;

    [Inject]
    private ILogger<LiveComponentBase> LiveLogger { get; set; } = default!;

    /// <summary>Whose events the screen follows: the signed-in member's organisation unless the screen says otherwise.</summary>
    protected virtual Guid? LiveTenantId => LiveMember.OrganizationId;

    /// <summary>How long events are gathered before one refresh (a customer writing fast is one re-read).</summary>
    protected virtual TimeSpan CoalesceWindow => TimeSpan.FromMilliseconds(150);

    /// <summary>How often the screen re-reads while live updates are paused.</summary>
    protected virtual TimeSpan PollInterval => TimeSpan.FromSeconds(5);

    /// <summary>Whether to re-read on the timer now even though events flow (a screen waiting for something it started).</summary>
    protected virtual bool PollsWhileLive => false;

    /// <summary>Which of the organisation's events concern this screen.</summary>
    protected abstract bool Concerns(LiveEvent liveEvent);

    /// <summary>Re-reads what the screen shows; runs on the component's dispatcher and is followed by a render.</summary>
    protected abstract Task RefreshAsync();

    protected override void OnAfterRender(bool firstRender)
    {
        if (!firstRender || LiveTenantId is not { } tenant)
        {
            return;
        }

        _subscription = Live.Subscribe(tenant, liveEvent => Concerns(liveEvent) ? InvokeAsync(RefreshSoonAsync) : Task.CompletedTask);
        _poll = new PeriodicTimer(PollInterval);
        _polling = PollAsync(_poll);
    }

    /// <summary>Refreshes now (after an action of the screen's own), on the same terms as an event.</summary>
    protected Task RefreshNowAsync() => InvokeAsync(RefreshSoonAsync);

    private async Task RefreshSoonAsync()
    {
        // A refresh is already on its way: it will read this change too.
        if (Interlocked.Exchange(ref _refreshPending, 1) == 1)
        {
            return;
        }

        if (CoalesceWindow > TimeSpan.Zero)
        {
            await Task.Delay(CoalesceWindow);
        }

        Interlocked.Exchange(ref _refreshPending, 0);
        if (_disposed)
        {
            return;
        }

        try
        {
            await RefreshAsync();
            StateHasChanged();
        }
        catch (Exception ex) when (!_disposed)
        {
            await DispatchExceptionAsync(ex);
        }
    }

    /// <summary>Ends when the screen is disposed. Nobody awaits a tick: a failure is logged and the next tick tries again.</summary>
    private async Task PollAsync(PeriodicTimer timer)
    {
        while (await timer.WaitForNextTickAsync())
        {
            if (Live.IsLive && !PollsWhileLive)
            {
                continue;
            }

            try
            {
                await InvokeAsync(async () =>
                {
                    await RefreshAsync();
                    StateHasChanged();
                });
            }
            catch (ObjectDisposedException)
            {
                return; // the circuit has closed: nothing left to refresh
            }
            catch (Exception ex)
            {
                LogPollFailed(LiveLogger, GetType().Name, ex.GetType().Name);
            }
        }
    }

    /// <summary>What the screen itself releases (JS modules, references); the subscription and timer are the base's.</summary>
    protected virtual ValueTask DisposeScreenAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        _disposed = true;
        _subscription?.Dispose();
        _poll?.Dispose();
        if (_polling is not null)
        {
            await _polling;
        }

        await DisposeScreenAsync();
        GC.SuppressFinalize(this);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Screen} could not refresh while live updates are paused ({Reason}); the next tick tries again")]
    private static partial void LogPollFailed(ILogger logger, string screen, string reason);
}
