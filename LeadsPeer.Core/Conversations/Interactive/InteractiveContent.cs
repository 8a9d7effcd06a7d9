using System.Text.Json.Nodes;

namespace LeadsPeer.Core.Conversations.Interactive;

/// <summary>
/// A message with tappable choices, as our API takes it: reply buttons (<c>button</c>), a list
/// (<c>list</c>) or a link button (<c>cta_url</c>), each with an optional header and footer; or
/// products of the business's Meta catalog (<c>product</c>: one, by <see cref="ProductRetailerId"/>;
/// <c>product_list</c>: sections of <see cref="ListSection.ProductRetailerIds"/>), which the
/// customer adds to a cart in WhatsApp and sends back as an <c>order</c> message.
/// <see cref="InteractiveMessages"/> checks it against Meta's limits and writes Meta's JSON.
/// </summary>
public sealed record InteractiveContent(
    string? Type,
    string? Body,
    string? Header = null,
    string? Footer = null,
    IReadOnlyList<ReplyButton>? Buttons = null,
    string? Button = null,
    IReadOnlyList<ListSection>? Sections = null,
    string? DisplayText = null,
    string? Url = null,
    string? CatalogId = null,
    string? ProductRetailerId = null);

public sealed record ReplyButton(string? Id, string? Title);

/// <summary>A list's section: rows to tap (<c>list</c>), or products by SKU (<c>product_list</c>).</summary>
public sealed record ListSection(string? Title, IReadOnlyList<ListRow>? Rows, IReadOnlyList<string>? ProductRetailerIds = null);

public sealed record ListRow(string? Id, string? Title, string? Description = null);

/// <summary>One choice a message offered: what the customer's tap carries back.</summary>
public sealed record Choice(string Id, string Title);

/// <summary>Meta's limits for interactive messages (WhatsApp Cloud API).</summary>
public static class InteractiveLimits
{
    public const int Body = 1024;
    public const int Header = 60;
    public const int Footer = 60;
    public const int MaxButtons = 3;
    public const int ButtonTitle = 20;
    public const int ButtonId = 256;
    public const int ListButton = 20;
    public const int MaxSections = 10;
    public const int MaxRows = 10;
    public const int SectionTitle = 24;
    public const int RowId = 200;
    public const int RowTitle = 24;
    public const int RowDescription = 72;
    public const int DisplayText = 20;
    public const int MaxProducts = 30;
    public const int CatalogId = 64;
    public const int ProductRetailerId = 100;
}

/// <summary>Checks interactive messages against Meta's limits, writes them as Graph JSON, and reads their choices back.</summary>
public static partial class InteractiveMessages
{
    public const string Button = "button";
    public const string List = "list";
    public const string CtaUrl = "cta_url";
    public const string Product = "product";
    public const string ProductList = "product_list";

    /// <summary>Every limit the message breaks, keyed by the field (<c>interactive.buttons[1].title</c>); null when it may be sent.</summary>
    public static Dictionary<string, string[]>? Validate(InteractiveContent content)
    {
        var errors = new Dictionary<string, string[]>();
        void Fail(string field, string message) => errors[$"interactive.{field}"] = [message];
        void Required(string field, string? value, int limit, string what)
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                Fail(field, $"{what} is required.");
            }
            else if (value.Length > limit)
            {
                Fail(field, $"{what} is at most {limit} characters (WhatsApp's limit); this one has {value.Length}.");
            }
        }

        void Optional(string field, string? value, int limit, string what)
        {
            if (value is not null)
            {
                Required(field, value, limit, what);
            }
        }

        // A single product's card may go without words; every other kind has a body.
        if (content.Type == Product)
        {
            Optional("body", content.Body, InteractiveLimits.Body, "The body");
        }
        else
        {
            Required("body", content.Body, InteractiveLimits.Body, "The body");
        }

        Optional("header", content.Header, InteractiveLimits.Header, "The header");
        Optional("footer", content.Footer, InteractiveLimits.Footer, "The footer");
        switch (content.Type)
        {
            case Button:
                var buttons = content.Buttons ?? [];
                if (buttons.Count is 0 or > InteractiveLimits.MaxButtons)
                {
                    Fail("buttons", $"Reply buttons are 1 to {InteractiveLimits.MaxButtons} (WhatsApp's limit); this message has {buttons.Count}.");
                }

                for (var i = 0; i < buttons.Count; i++)
                {
                    Required($"buttons[{i}].id", buttons[i].Id, InteractiveLimits.ButtonId, "A button's id");
                    Required($"buttons[{i}].title", buttons[i].Title, InteractiveLimits.ButtonTitle, "A button's title");
                }

                Unique("buttons", buttons.Select(b => b.Id), Fail);
                break;
            case List:
                Required("button", content.Button, InteractiveLimits.ListButton, "The list's button label");
                var sections = content.Sections ?? [];
                if (sections.Count is 0 or > InteractiveLimits.MaxSections)
                {
                    Fail("sections", $"A list has 1 to {InteractiveLimits.MaxSections} sections (WhatsApp's limit); this one has {sections.Count}.");
                }

                var rowCount = sections.Sum(s => s.Rows?.Count ?? 0);
                if (rowCount is 0 or > InteractiveLimits.MaxRows)
                {
                    Fail("sections.rows", $"A list has 1 to {InteractiveLimits.MaxRows} rows in all its sections (WhatsApp's limit); this one has {rowCount}.");
                }

                for (var s = 0; s < sections.Count; s++)
                {
                    if (sections.Count > 1 || sections[s].Title is not null)
                    {
                        Required($"sections[{s}].title", sections[s].Title, InteractiveLimits.SectionTitle, "A section's title (required when a list has several sections)");
                    }

                    var rows = sections[s].Rows ?? [];
                    for (var r = 0; r < rows.Count; r++)
                    {
                        Required($"sections[{s}].rows[{r}].id", rows[r].Id, InteractiveLimits.RowId, "A row's id");
                        Required($"sections[{s}].rows[{r}].title", rows[r].Title, InteractiveLimits.RowTitle, "A row's title");
                        Optional($"sections[{s}].rows[{r}].description", rows[r].Description, InteractiveLimits.RowDescription, "A row's description");
                    }
                }

                Unique("sections.rows", sections.SelectMany(s => s.Rows ?? []).Select(r => r.Id), Fail);
                break;
            case CtaUrl:
                Required("displayText", content.DisplayText, InteractiveLimits.DisplayText, "The link button's text");
                if (!Uri.TryCreate(content.Url, UriKind.Absolute, out var url) || url.Scheme != Uri.UriSchemeHttps)
                {
                    Fail("url", "The link must be an absolute https:// address.");
                }

                break;
            case Product:
                Required("catalogId", content.CatalogId, InteractiveLimits.CatalogId, "The Meta catalog's id");
                Required("productRetailerId", content.ProductRetailerId, InteractiveLimits.ProductRetailerId, "The product's SKU (product_retailer_id)");
                if (content.Header is not null)
                {
                    Fail("header", "A single product's message has no header (WhatsApp shows the product's own).");
                }

                break;
            case ProductList:
                Required("catalogId", content.CatalogId, InteractiveLimits.CatalogId, "The Meta catalog's id");
                Required("header", content.Header, InteractiveLimits.Header, "The header (required for several products)");
                ValidateProductSections(content.Sections ?? [], Required, Fail);
                break;
            default:
                Fail("type", $"The type is \"{Button}\" (reply buttons), \"{List}\", \"{CtaUrl}\" (a link button), \"{Product}\" or \"{ProductList}\" (catalog products).");
                break;
        }

        return errors.Count == 0 ? null : errors;
    }

    /// <summary>The message as Graph takes it (a valid <paramref name="content"/>): <c>{"type":"interactive","interactive":{…}}</c>.</summary>
    public static JsonObject ToGraph(InteractiveContent content)
    {
        var interactive = new JsonObject { ["type"] = content.Type };
        if (content.Header is { } header)
        {
            interactive["header"] = new JsonObject { ["type"] = "text", ["text"] = header };
        }

        if (content.Body is not null)
        {
            interactive["body"] = new JsonObject { ["text"] = content.Body };
        }

        if (content.Footer is { } footer)
        {
            interactive["footer"] = new JsonObject { ["text"] = footer };
        }

        interactive["action"] = content.Type switch
        {
            Button => new JsonObject
            {
                ["buttons"] = new JsonArray([.. content.Buttons!.Select(b => (JsonNode)new JsonObject
                {
                    ["type"] = "reply",
                    ["reply"] = new JsonObject { ["id"] = b.Id, ["title"] = b.Title },
                })]),
            },
            List => new JsonObject
            {
                ["button"] = content.Button,
                ["sections"] = new JsonArray([.. content.Sections!.Select(s =>
                {
                    var section = new JsonObject();
                    if (s.Title is not null)
                    {
                        section["title"] = s.Title;
                    }

                    section["rows"] = new JsonArray([.. s.Rows!.Select(r =>
                    {
                        var row = new JsonObject { ["id"] = r.Id, ["title"] = r.Title };
                        if (r.Description is not null)
                        {
                            row["description"] = r.Description;
                        }

                        return (JsonNode)row;
                    })]);
                    return (JsonNode)section;
                })]),
            },
            Product => new JsonObject { ["catalog_id"] = content.CatalogId, ["product_retailer_id"] = content.ProductRetailerId },
            ProductList => new JsonObject
            {
                ["catalog_id"] = content.CatalogId,
                ["sections"] = new JsonArray([.. content.Sections!.Select(s => (JsonNode)new JsonObject
                {
                    ["title"] = s.Title,
                    ["product_items"] = new JsonArray([.. s.ProductRetailerIds!.Select(id => (JsonNode)new JsonObject { ["product_retailer_id"] = id })]),
                })]),
            },
            _ => new JsonObject
            {
                ["name"] = CtaUrl,
                ["parameters"] = new JsonObject { ["display_text"] = content.DisplayText, ["url"] = content.Url },
            },
        };
        return new JsonObject { ["type"] = "interactive", ["interactive"] = interactive };
    }

    /// <summary>The choices an outbound message's Graph JSON offered (buttons or rows); none for other messages.</summary>
    public static IReadOnlyList<Choice> ChoicesOf(JsonObject? graphMessage)
    {
        var action = graphMessage?["interactive"]?["action"];
        if (action?["buttons"] is JsonArray buttons)
        {
            return [.. buttons.Select(b => b?["reply"]).OfType<JsonNode>()
                .Select(r => new Choice(r["id"]?.GetValue<string>() ?? "", r["title"]?.GetValue<string>() ?? ""))];
        }

        if (action?["sections"] is JsonArray sections)
        {
            return [.. sections.SelectMany(s => s?["rows"] as JsonArray ?? []).OfType<JsonNode>()
                .Select(r => new Choice(r["id"]?.GetValue<string>() ?? "", r["title"]?.GetValue<string>() ?? ""))];
        }

        return [];
    }

    private static void Unique(string field, IEnumerable<string?> ids, Action<string, string> fail)
    {
        if (ids.Where(id => id is not null).GroupBy(id => id).FirstOrDefault(g => g.Count() > 1) is { } twice)
        {
            fail(field, $"Each choice needs its own id; \"{twice.Key}\" is used twice.");
        }
    }
}
