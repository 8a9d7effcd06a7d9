using LeadsPeer.Core.Conversations;
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

    /// <summary>Only this conversation's events: its messages, their ticks, its handling.</summary>
    protected override bool Concerns(LiveEvent liveEvent) => liveEvent.ConversationId == Id;

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
        var thread = await Conversations.RunAsync(c => c.MessagesAsync(Id, cursor: null, limit: 100, CancellationToken.None));
        _messages = thread.Succeeded ? [.. thread.Value!.Items.Reverse()] : [];
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

    private async Task<bool> SendAsync(string text)
    {
        var outcome = await Actions.RunAsync(c => c.ReplyAsync(Id, text, CancellationToken.None));
        if (!outcome.Succeeded)
        {
            Snackbar.Refused(outcome.Error!);
            return false;
        }

        await LoadAsync();
        return true;
    }
}
