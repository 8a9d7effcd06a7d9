using LeadsPeer.Core.Conversations.Interactive;

namespace LeadsPeer.Core.Flows;

/// <summary>
/// A guided flow's questions, fitted to WhatsApp's limits: buttons, and lists of at most ten rows
/// whose tenth is "More…" when there are more (a long title is cut in the row and kept whole in
/// its description).
/// </summary>
public static class FlowMessages
{
    /// <summary>Rows a list page shows; the tenth is "More…" when there are more.</summary>
    public const int RowsPerPage = InteractiveLimits.MaxRows - 1;
    public const string MoreId = "more";

    /// <summary>Where a flow's state keeps the page of the list it shows.</summary>
    public const string PageKey = "page";

    /// <summary>The page of the list the state is on (0 at first).</summary>
    public static int PageOf(IReadOnlyDictionary<string, string> data) =>
        int.Parse(data.GetValueOrDefault(PageKey, "0"), System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Turns the list's page: <paramref name="step"/> 0 starts again from the first, +1 goes on to the next.</summary>
    public static Dictionary<string, string> Page(Dictionary<string, string> data, int step)
    {
        data[PageKey] = (step == 0 ? 0 : PageOf(data) + step).ToString(System.Globalization.CultureInfo.InvariantCulture);
        return data;
    }

    public static InteractiveContent Buttons(string body, params (string Id, string Title)[] buttons) =>
        new(InteractiveMessages.Button, Cut(body, InteractiveLimits.Body), Buttons: [.. buttons.Select(b => new ReplyButton(b.Id, Cut(b.Title, InteractiveLimits.ButtonTitle)))]);

    public static InteractiveContent List(string body, string button, IEnumerable<ListRow> rows, bool more)
    {
        var shown = rows.Take(more ? RowsPerPage : InteractiveLimits.MaxRows).ToList();
        if (more)
        {
            shown.Add(new ListRow(MoreId, "More…", "See the next items"));
        }

        return new InteractiveContent(InteractiveMessages.List, Cut(body, InteractiveLimits.Body), Button: Cut(button, InteractiveLimits.ListButton),
            Sections: [new ListSection(null, shown)]);
    }

    /// <summary>A list row; a title longer than WhatsApp shows is cut, and the whole name leads the description.</summary>
    public static ListRow Row(string id, string title, string? description = null)
    {
        if (title.Length > InteractiveLimits.RowTitle)
        {
            description = description is null ? title : $"{title} · {description}";
        }

        return new ListRow(id, Cut(title, InteractiveLimits.RowTitle), description is null ? null : Cut(description, InteractiveLimits.RowDescription));
    }

    public static string Cut(string text, int limit) => text.Length <= limit ? text : text[..(limit - 1)].TrimEnd() + "…";
}
