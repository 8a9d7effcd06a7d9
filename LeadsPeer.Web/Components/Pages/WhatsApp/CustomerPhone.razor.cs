using LeadsPeer.Core.Live;
using LeadsPeer.Core.WhatsApp.Sandbox;
using LeadsPeer.Web.Components.Shared;
using LeadsPeer.Web.Live;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;

namespace LeadsPeer.Web.Components.Pages.WhatsApp;

public partial class CustomerPhone
{
    [Parameter, EditorRequired] public Guid ConnectionId { get; set; }
    [Parameter, EditorRequired] public Guid TenantId { get; set; }
    [Parameter] public string? Number { get; set; }
    [Parameter] public string BusinessName { get; set; } = "Your business";

    private IReadOnlyList<SandboxChatMessage>? _messages;
    private readonly List<(string Text, DateTimeOffset At)> _pending = [];
    private string? _text;
    private string? _error;
    private bool _sending;

    // The list whose rows are open (a sheet over the chat on a real phone), by the wamid that offered them.
    private string? _openList;
    private readonly SemaphoreSlim _loading = new(1, 1);

    // The business's catalog sheet: all of it (the shop button), or a product message's items.
    private bool _catalogOpen;
    private string? _catalogTitle;
    private IReadOnlyList<SandboxCatalogItem>? _catalogItems;
    private string? _catalogError;

    protected override Task OnInitializedAsync() => LoadAsync();

    protected override Guid? LiveTenantId => TenantId;

    /// <summary>Messages arrive on both sides through events of this organisation's conversations.</summary>
    protected override bool Concerns(LiveEvent liveEvent) =>
        liveEvent.Type is LiveEventTypes.MessageAdded or LiveEventTypes.MessageStatusChanged or LiveEventTypes.ConversationCreated;

    /// <summary>A phone shows a message the moment it arrives.</summary>
    protected override TimeSpan CoalesceWindow => TimeSpan.Zero;

    /// <summary>How often the phone looks for new messages while live updates are paused.</summary>
    protected override TimeSpan PollInterval => TimeSpan.FromSeconds(3);

    /// <summary>A message just sent is looked for until it is in the chat, live updates or not.</summary>
    protected override bool PollsWhileLive => _pending.Count > 0;

    protected override Task RefreshAsync() => LoadAsync();

    private async Task LoadAsync()
    {
        await _loading.WaitAsync();
        try
        {
            var chat = await Phone.RunAsync(p => p.ChatAsync(ConnectionId, null, CancellationToken.None));
            if (!chat.Succeeded)
            {
                _error = chat.Error!.Title;
                return;
            }

            _messages = chat.Value!;
            // A sent message shows as pending until the webhook has been ingested and it is in the chat.
            _pending.RemoveAll(p => _messages.Any(m => m.FromCustomer && m.Text == p.Text && m.At >= p.At.AddSeconds(-5)));
        }
        finally
        {
            _loading.Release();
        }
    }

    private async Task OnKeyDownAsync(KeyboardEventArgs e)
    {
        if (e.Key == "Enter" && !e.ShiftKey)
        {
            await SendAsync();
        }
    }

    /// <summary>The customer taps a button or list row: a signed <c>interactive</c> webhook answering that message.</summary>
    private async Task TapAsync(string asked, LeadsPeer.Core.Conversations.Interactive.Choice choice)
    {
        if (_sending)
        {
            return;
        }

        _sending = true;
        _error = null;
        var pending = (choice.Title, DateTimeOffset.UtcNow);
        _pending.Add(pending);
        try
        {
            var outcome = await Phone.RunAsync(p => p.SendAsCustomerAsync(ConnectionId, null, null, null, CancellationToken.None, replyId: choice.Id, contextId: asked));
            if (!outcome.Succeeded)
            {
                _pending.Remove(pending);
                _error = outcome.Error!.Words();
            }
        }
        finally
        {
            _sending = false;
        }
    }

    private async Task OpenCatalogAsync(IReadOnlyList<string>? skus, string? title)
    {
        _catalogOpen = true;
        _catalogTitle = title;
        _catalogItems = null;
        _catalogError = null;
        var catalog = await Phone.RunAsync(p => p.CatalogAsync(ConnectionId, skus, CancellationToken.None));
        _catalogItems = catalog.Value;
        _catalogError = catalog.Error?.Title;
    }

    /// <summary>The customer sends the cart they filled in the catalog: Meta's <c>order</c> message, through the webhook.</summary>
    private async Task SendCartAsync(IReadOnlyList<SandboxCartItem> cart)
    {
        if (_sending)
        {
            return;
        }

        _sending = true;
        _error = null;
        try
        {
            var outcome = await Phone.RunAsync(p => p.SendCartAsCustomerAsync(ConnectionId, cart, null, null, CancellationToken.None));
            if (outcome.Succeeded)
            {
                _catalogOpen = false;
                await LoadAsync();
            }
            else
            {
                _catalogError = outcome.Error!.Words();
            }
        }
        finally
        {
            _sending = false;
        }
    }

    private async Task SendAsync()
    {
        if (_sending || string.IsNullOrWhiteSpace(_text))
        {
            return;
        }

        _sending = true;
        _error = null;
        var text = _text;
        // Pending before the send: the message can be ingested (and a live reload show it) before the send returns.
        var pending = (text, DateTimeOffset.UtcNow);
        _pending.Add(pending);
        try
        {
            var outcome = await Phone.RunAsync(p => p.SendAsCustomerAsync(ConnectionId, text, null, null, CancellationToken.None));
            if (outcome.Succeeded)
            {
                _text = null;
            }
            else
            {
                // The text stays, so nothing typed is lost.
                _pending.Remove(pending);
                _error = outcome.Error!.Words();
            }
        }
        finally
        {
            _sending = false;
        }
    }
}
