using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace LeadsPeer.Core.WhatsApp.Templates;

/// <summary>
/// A template to send: its name and language, a value for each variable (keyed <c>1</c>, <c>2</c> …
/// or by name), and optionally the payload each quick-reply button sends back when tapped (in the
/// buttons' order; a button without one sends back its own text).
/// </summary>
public sealed record TemplateMessage(
    string? Name,
    string? Language = null,
    IReadOnlyDictionary<string, string>? Parameters = null,
    IReadOnlyList<string>? Buttons = null);

/// <summary>A template send checked against the template: the Graph message and the text the customer sees.</summary>
public sealed record PreparedTemplate(JsonObject Payload, string Text);

/// <summary>
/// Checks a send against its template before Meta sees it — what Meta would answer with 132000
/// (parameter count), 132005 (text too long) or 132018 (parameter format) — and builds Graph's
/// <c>template</c> message. The simulator reads a posted send back with <see cref="Read"/>.
/// </summary>
public static partial class TemplateSending
{
    /// <summary>The longest quick-reply payload accepted.</summary>
    public const int MaxPayload = 256;

    public static (PreparedTemplate? Prepared, Dictionary<string, string[]>? Errors) Prepare(MessageTemplate template, TemplateMessage request)
    {
        var errors = new Dictionary<string, string[]>();
        void Add(string field, string message) => errors[field] = [.. errors.GetValueOrDefault(field, []), message];

        var shape = TemplateShape.Parse(template.Components);
        if (shape.HeaderFormat is not (null or "TEXT"))
        {
            Add("template", $"'{template.Name}' has a {shape.HeaderFormat!.ToLowerInvariant()} header; templates with a media header cannot be sent from here yet.");
        }

        if (shape.HasDynamicLink)
        {
            Add("template", $"'{template.Name}' has a link button with a variable; such templates cannot be sent from here yet.");
        }

        var values = new Dictionary<string, string>(request.Parameters ?? new Dictionary<string, string>());
        foreach (var missing in shape.Variables.Where(v => !values.ContainsKey(v)))
        {
            Add($"parameters.{missing}", $"The template needs a value for {{{{{missing}}}}}.");
        }

        foreach (var extra in values.Keys.Where(k => !shape.Variables.Contains(k)))
        {
            Add($"parameters.{extra}", $"The template has no variable {{{{{extra}}}}}.");
        }

        foreach (var (name, value) in values.Where(v => shape.Variables.Contains(v.Key)))
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                Add($"parameters.{name}", "A value cannot be empty.");
            }
            else if (value.Contains('\n') || value.Contains('\t') || FiveSpaces().IsMatch(value))
            {
                Add($"parameters.{name}", "WhatsApp refuses line breaks, tabs and more than four spaces in a row inside a value.");
            }
        }

        var buttons = request.Buttons ?? [];
        if (buttons.Count > shape.QuickReplies.Count)
        {
            Add("buttons", $"'{template.Name}' has {shape.QuickReplies.Count} quick-reply button(s); {buttons.Count} payloads were given.");
        }

        for (var i = 0; i < buttons.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(buttons[i]) || buttons[i].Length > MaxPayload)
            {
                Add($"buttons[{i}]", $"A button payload is 1 to {MaxPayload} characters.");
            }
        }

        if (errors.Count > 0)
        {
            return (null, errors);
        }

        if (shape.Header is { } header && TemplateShape.Fill(header, values).Length > TemplateLimits.Header)
        {
            Add("parameters", $"With these values the header is longer than {TemplateLimits.Header} characters.");
        }

        if (TemplateShape.Fill(shape.Body, values).Length > TemplateLimits.Body)
        {
            Add("parameters", $"With these values the body is longer than {TemplateLimits.Body} characters.");
        }

        return errors.Count > 0 ? (null, errors) : (new PreparedTemplate(Payload(template, shape, values, buttons), shape.Render(values)), null);
    }

    /// <summary>Graph's <c>template</c> message: the values per component, and the quick-reply payloads by button index.</summary>
    private static JsonObject Payload(MessageTemplate template, TemplateShape shape, IReadOnlyDictionary<string, string> values, IReadOnlyList<string> buttons)
    {
        var named = template.ParameterFormat == TemplateParameterFormat.Named;
        JsonArray Parameters(IReadOnlyList<string> variables) => new([.. variables.Select(v =>
        {
            var parameter = new JsonObject { ["type"] = "text", ["text"] = values[v] };
            if (named)
            {
                parameter["parameter_name"] = v;
            }

            return (JsonNode)parameter;
        })]);

        var components = new JsonArray();
        if (shape.HeaderVariables.Count > 0)
        {
            components.Add(new JsonObject { ["type"] = "header", ["parameters"] = Parameters(shape.HeaderVariables) });
        }

        if (shape.BodyVariables.Count > 0)
        {
            components.Add(new JsonObject { ["type"] = "body", ["parameters"] = Parameters(shape.BodyVariables) });
        }

        // Indexes count every button of the template, not only the quick replies.
        var quickReplyIndexes = shape.Buttons.Select((b, i) => (b, i)).Where(x => x.b.Type == TemplateButton.QuickReply).Select(x => x.i).ToList();
        for (var i = 0; i < buttons.Count; i++)
        {
            components.Add(new JsonObject
            {
                ["type"] = "button",
                ["sub_type"] = "quick_reply",
                ["index"] = quickReplyIndexes[i].ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["parameters"] = new JsonArray(new JsonObject { ["type"] = "payload", ["payload"] = buttons[i] }),
            });
        }

        var body = new JsonObject { ["name"] = template.Name, ["language"] = new JsonObject { ["code"] = template.Language } };
        if (components.Count > 0)
        {
            body["components"] = components;
        }

        return new JsonObject { ["type"] = "template", ["template"] = body };
    }

    /// <summary>
    /// Reads a posted <c>template</c> object back against the template, as Meta does: the values by
    /// variable, or Meta's error (132000 when the parameters do not match the template's variables).
    /// </summary>
    public static (IReadOnlyDictionary<string, string>? Values, int? ErrorCode, string? Error) Read(TemplateShape shape, JsonObject? template)
    {
        var values = new Dictionary<string, string>();
        var counts = new Dictionary<string, int>();
        foreach (var component in (template?["components"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var type = component["type"]?.GetValue<string>();
            if (type is not ("header" or "body"))
            {
                continue;
            }

            var variables = type == "header" ? shape.HeaderVariables : shape.BodyVariables;
            var parameters = (component["parameters"] as JsonArray ?? []).OfType<JsonObject>().ToList();
            counts[type] = parameters.Count;
            for (var i = 0; i < parameters.Count && i < variables.Count; i++)
            {
                var name = parameters[i]["parameter_name"]?.GetValue<string>() ?? variables[i];
                values[name] = parameters[i]["text"]?.GetValue<string>() ?? "";
            }
        }

        if (counts.GetValueOrDefault("header") != shape.HeaderVariables.Count || counts.GetValueOrDefault("body") != shape.BodyVariables.Count
            || shape.Variables.Any(v => !values.ContainsKey(v)))
        {
            return (null, 132000, $"(#132000) Number of parameters does not match the expected number of params: header {shape.HeaderVariables.Count}, body {shape.BodyVariables.Count}");
        }

        return (values, null, null);
    }

    [GeneratedRegex(" {5,}")]
    private static partial Regex FiveSpaces();
}
