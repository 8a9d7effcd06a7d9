using LeadsPeer.Core.Conversations;
using LeadsPeer.Core.Conversations.Interactive;
using LeadsPeer.Core.WhatsApp.Templates;
using Microsoft.AspNetCore.Components;
using LeadsPeer.Core.Live;
using LeadsPeer.Web.Components.Shared;
using LeadsPeer.Web.Live;
using MudBlazor;

namespace LeadsPeer.Web.Components.Pages.Conversations;

public partial class Conversation
{
    private ConversationSummary? _conversation;
    private List<MessageView> _messages = [];
    private IReadOnlyList<LeadsPeer.Core.Orders.OrderView> _orders = [];
    private IReadOnlyList<LeadsPeer.Core.Bookings.BookingView> _bookings = [];
    private LeadsPeer.Core.Orders.FlowCartView? _cart;
    private LeadsPeer.Core.Flows.FlowInProgressView? _flow;
    private IReadOnlyList<string> _flowChoice = [];
    private IReadOnlyList<TemplateView> _templates = [];

    // Wakes the screen when the window closes, so the composer turns to templates without a reload.
    private CancellationTokenSource? _windowWatch;
    private bool _notFound;
    private bool _busy;

    [Parameter]
    public Guid Id { get; set; }

    private string Title => _conversation?.ContactName ?? (_conversation?.ContactWaId is { } number ? $"+{number}" : "Conversation");

    protected override async Task OnParametersSetAsync()
    {
        await LoadAsync();
        if (_conversation is not null)
        {
            await Actions.RunAsync(c => c.MarkReadAsync(Id, CancellationToken.None));
        }
    }

    /// <summary>
    /// Only this conversation's events: its messages, their ticks, its handling; and an erasure,
    /// which names no conversation (it carries nothing of the customer): it may be this one.
    /// </summary>
    protected override bool Concerns(LiveEvent liveEvent) => liveEvent.ConversationId == Id || liveEvent.Type == LiveEventTypes.ContactErased;

    /// <summary>An operator reads along as the customer types: no gathering of events here.</summary>
    protected override TimeSpan CoalesceWindow => TimeSpan.Zero;

    protected override Task RefreshAsync() => LoadAsync();

    private async Task LoadAsync()
    {
        var conversation = await Conversations.RunAsync(c => c.GetAsync(Id, CancellationToken.None));
        if (!conversation.Succeeded)
        {
            _notFound = true;
            return;
        }

        _conversation = conversation.Value;
        _orders = await OrderBook.RunAsync(o => o.ForConversationAsync(Id, CancellationToken.None));
        _cart = await OrderBook.RunAsync(o => o.CartInFlowAsync(Id, CancellationToken.None));
        _flow = await Flows.RunAsync(f => f.InProgressAsync(Id, CancellationToken.None));
        _flowChoice = _flow is { } flow ? await BookingQueries.RunAsync(q => q.ChoiceInFlowAsync(flow, CancellationToken.None)) : [];
        var contactId = conversation.Value!.ContactId;
        _bookings = (await BookingQueries.RunAsync(q => q.ListAsync(null, null, staffId: null, contactId, status: null, CancellationToken.None))).Value ?? [];
        var thread = await Conversations.RunAsync(c => c.MessagesAsync(Id, cursor: null, limit: 100, CancellationToken.None));
        _messages = thread.Succeeded ? [.. thread.Value!.Items.Reverse()] : [];
        // Offered only once the window has closed, so read only then.
        var open = conversation.Value!.WindowExpiresAt is { } expires && DateTimeOffset.UtcNow < expires;
        _templates = open ? [] : await Catalog.RunAsync(c => c.ApprovedForConversationAsync(Id, CancellationToken.None));
        WatchWindow(open ? conversation.Value.WindowExpiresAt : null);
    }

    private void WatchWindow(DateTimeOffset? closesAt)
    {
        _windowWatch?.Cancel();
        _windowWatch?.Dispose();
        _windowWatch = null;
        if (closesAt is not { } at)
        {
            return;
        }

        _windowWatch = new CancellationTokenSource();
        _ = WakeAtAsync(at, _windowWatch.Token);
    }

    private async Task WakeAtAsync(DateTimeOffset at, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(at - DateTimeOffset.UtcNow + TimeSpan.FromMilliseconds(250), cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // The page re-read the conversation (a newer window to watch) or closed: nothing to wake.
            return;
        }

        await InvokeAsync(async () =>
        {
            try
            {
                await LoadAsync();
                StateHasChanged();
            }
            catch (Exception ex)
            {
                // A failed re-read is the page's error, shown by its boundary, never a stale screen that looks current.
                await DispatchExceptionAsync(ex);
            }
        });
    }

    protected override ValueTask DisposeScreenAsync()
    {
        WatchWindow(null);
        return ValueTask.CompletedTask;
    }

    /// <summary>One action at a time: a double click sends one request, and the answer (or refusal) is shown.</summary>
    private async Task ActAsync(ConversationAction action)
    {
        if (_busy)
        {
            return;
        }

        _busy = true;
        try
        {
            var outcome = await Actions.RunAsync(c => c.ActAsync(Id, action, CancellationToken.None));
            if (!outcome.Succeeded)
            {
                Snackbar.Refused(outcome.Error!);
            }

            await LoadAsync();
        }
        finally
        {
            _busy = false;
        }
    }

    private Task<bool> SendAsync(string text) => SentAsync(Actions.RunAsync(c => c.ReplyAsync(Id, text, CancellationToken.None)));

    private Task<bool> SendChoicesAsync(InteractiveContent choices) =>
        SentAsync(Actions.RunAsync(c => c.ReplyAsync(Id, text: null, CancellationToken.None, choices)));

    private Task<bool> SendTemplateAsync(TemplateMessage template) =>
        SentAsync(Actions.RunAsync(c => c.SendTemplateAsync(Id, template, CancellationToken.None)));

    private async Task<bool> SentAsync(Task<LeadsPeer.Core.Outcome<MessageView>> sending)
    {
        var outcome = await sending;
        if (!outcome.Succeeded)
        {
            Snackbar.Refused(outcome.Error!);
            return false;
        }

        await LoadAsync();
        return true;
    }
}
