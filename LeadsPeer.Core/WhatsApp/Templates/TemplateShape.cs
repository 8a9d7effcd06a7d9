using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace LeadsPeer.Core.WhatsApp.Templates;

/// <summary>A template button: <c>QUICK_REPLY</c> (a tap sent back as a message), <c>URL</c> or <c>PHONE_NUMBER</c>.</summary>
public sealed record TemplateButton(string Type, string Text, string? Url = null, string? PhoneNumber = null)
{
    public const string QuickReply = "QUICK_REPLY";
    public const string Link = "URL";
    public const string Phone = "PHONE_NUMBER";
}

/// <summary>
/// What a template says, read from Meta's components JSON: the header (text, or a media format),
/// body, footer and buttons, and the variables the header and body use, in order.
/// </summary>
public sealed partial record TemplateShape(
    string? HeaderFormat,
    string? Header,
    string Body,
    string? Footer,
    IReadOnlyList<TemplateButton> Buttons,
    IReadOnlyList<string> HeaderVariables,
    IReadOnlyList<string> BodyVariables)
{
    /// <summary>Every variable a send must fill: the header's, then the body's new ones.</summary>
    public IReadOnlyList<string> Variables => [.. HeaderVariables.Concat(BodyVariables).Distinct()];

    public IReadOnlyList<TemplateButton> QuickReplies => [.. Buttons.Where(b => b.Type == TemplateButton.QuickReply)];

    /// <summary>A link button whose URL takes a variable (its suffix is a parameter of each send).</summary>
    public bool HasDynamicLink => Buttons.Any(b => b.Type == TemplateButton.Link && b.Url is not null && VariablePattern().IsMatch(b.Url));

    public static TemplateShape Parse(string componentsJson)
    {
        var components = JsonNode.Parse(componentsJson) as JsonArray ?? [];
        string? headerFormat = null, header = null, body = null, footer = null;
        var buttons = new List<TemplateButton>();
        foreach (var component in components.OfType<JsonObject>())
        {
            switch (Str(component, "type")?.ToUpperInvariant())
            {
                case "HEADER":
                    headerFormat = Str(component, "format")?.ToUpperInvariant() ?? "TEXT";
                    header = Str(component, "text");
                    break;
                case "BODY":
                    body = Str(component, "text");
                    break;
                case "FOOTER":
                    footer = Str(component, "text");
                    break;
                case "BUTTONS":
                    buttons.AddRange((component["buttons"] as JsonArray ?? []).OfType<JsonObject>().Select(b => new TemplateButton(
                        Str(b, "type")?.ToUpperInvariant() ?? "", Str(b, "text") ?? "", Str(b, "url"), Str(b, "phone_number"))));
                    break;
            }
        }

        return new TemplateShape(headerFormat, header, body ?? "", footer, buttons,
            headerFormat == "TEXT" ? VariablesIn(header) : [], VariablesIn(body));
    }

    /// <summary>The distinct variable names in <paramref name="text"/> (<c>1</c>, <c>first_name</c>), in order of first use.</summary>
    public static IReadOnlyList<string> VariablesIn(string? text) =>
        text is null ? [] : [.. VariablePattern().Matches(text).Select(m => m.Groups[1].Value).Distinct()];

    /// <summary><paramref name="text"/> with each <c>{{variable}}</c> replaced by its value.</summary>
    public static string Fill(string text, IReadOnlyDictionary<string, string> values) =>
        VariablePattern().Replace(text, m => values.TryGetValue(m.Groups[1].Value, out var value) ? value : m.Value);

    /// <summary>The message as the customer's phone shows it: header, body and footer, filled in (the buttons are drawn beside it).</summary>
    public string Render(IReadOnlyDictionary<string, string> values)
    {
        var parts = new List<string>();
        if (Header is not null && HeaderFormat == "TEXT")
        {
            parts.Add(Fill(Header, values));
        }

        parts.Add(Fill(Body, values));
        if (Footer is not null)
        {
            parts.Add(Footer);
        }

        return string.Join("\n\n", parts);
    }

    private static string? Str(JsonObject node, string name) =>
        node[name] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    [GeneratedRegex(@"\{\{\s*([A-Za-z0-9_]+)\s*\}\}")]
    private static partial Regex VariablePattern();
}
