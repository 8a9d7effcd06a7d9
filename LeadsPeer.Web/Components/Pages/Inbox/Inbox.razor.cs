using LeadsPeer.Core.Conversations;
using Microsoft.AspNetCore.Components;
using LeadsPeer.Core.Live;
using LeadsPeer.Web.Live;

namespace LeadsPeer.Web.Components.Pages.Inbox;

public partial class Inbox
{
    /// <summary>The filters operators switch between all day.</summary>
    public enum InboxView
    {
        NeedsHuman,
        Ai,
        Mine,
        Resolved,

        /// <summary>Where the AI turned a request away as outside the business: what the business may want to add to its knowledge.</summary>
        Declined,
        All,
    }

    /// <summary>Rows in the prerendered page: a tall screen's worth.</summary>
    private const int PrerenderedRows = 20;

    private readonly List<ConversationSummary> _items = [];
    private InboxView _view = InboxView.NeedsHuman;
    private string? _next;
    private bool _loading = true;
    private string? _error;
    private DateTimeOffset _now = DateTimeOffset.UtcNow;

    private string? Search { get; set; }

    private string EmptyTitle => _view switch
    {
        InboxView.NeedsHuman => "Nobody is waiting for a person.",
        InboxView.Mine => "You are not handling any conversation.",
        InboxView.Resolved => "No resolved conversations yet.",
        InboxView.Declined => "The AI has turned nothing away as outside your business.",
        _ => "No conversations yet.",
    };

    /// <summary>The filter in the address (<c>?view=All</c>), so a link or a reload keeps it.</summary>
    [SupplyParameterFromQuery(Name = "view")]
    private string? ViewInAddress { get; set; }

    protected override Task OnInitializedAsync()
    {
        if (Enum.TryParse<InboxView>(ViewInAddress, ignoreCase: true, out var view) && Enum.IsDefined(view))
        {
            _view = view;
        }

        return ReloadAsync();
    }

    /// <summary>Every event of the organisation may change the list (a new customer, a state, a message).</summary>
    protected override bool Concerns(LiveEvent liveEvent) => true;

    protected override Task RefreshAsync() => ReloadAsync();

    private static string Label(InboxView view) => view switch
    {
        InboxView.NeedsHuman => "Needs a human",
        InboxView.Ai => "AI handling",
        InboxView.Mine => "Mine",
        InboxView.Resolved => "Resolved",
        InboxView.Declined => "AI declined",
        _ => "All",
    };

    private async Task SelectAsync(InboxView view)
    {
        _view = view;
        Navigation.NavigateTo(Navigation.GetUriWithQueryParameter("view", view.ToString()), replace: true);
        await ReloadAsync();
    }

    private async Task ReloadAsync()
    {
        _loading = true;
        var outcome = await Conversations.RunAsync(c => c.ListAsync(Filter(), cursor: null, limit: ConversationQueries.MaxPageSize, CancellationToken.None));
        _now = DateTimeOffset.UtcNow;
        _loading = false;
        if (!outcome.Succeeded)
        {
            _error = outcome.Error!.Title;
            return;
        }

        _error = null;
        _items.Clear();
        _items.AddRange(outcome.Value!.Items);
        _next = outcome.Value.NextCursor;
    }

    private async Task LoadMoreAsync()
    {
        var outcome = await Conversations.RunAsync(c => c.ListAsync(Filter(), _next, ConversationQueries.MaxPageSize, CancellationToken.None));
        if (outcome.Succeeded)
        {
            _items.AddRange(outcome.Value!.Items);
            _next = outcome.Value.NextCursor;
        }
    }

    private ConversationFilter Filter() => _view switch
    {
        InboxView.NeedsHuman => new ConversationFilter(ConversationState.NeedsHuman, Search: Search),
        InboxView.Ai => new ConversationFilter(ConversationState.Ai, Search: Search),
        InboxView.Mine => new ConversationFilter(Mine: true, Search: Search),
        InboxView.Resolved => new ConversationFilter(ConversationState.Resolved, Search: Search),
        InboxView.Declined => new ConversationFilter(Declined: true, Search: Search),
        _ => new ConversationFilter(Search: Search),
    };

    private void Open(Guid id) => Navigation.NavigateTo($"conversations/{id}");
}
