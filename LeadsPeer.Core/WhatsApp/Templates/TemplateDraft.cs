using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace LeadsPeer.Core.WhatsApp.Templates;

/// <summary>
/// A template to submit to Meta for review. Variables are written <c>{{1}}</c>, <c>{{2}}</c> … or
/// <c>{{first_name}}</c> (one style per template); <see cref="Examples"/> gives a sample value for
/// every variable, as Meta's review requires.
/// </summary>
public sealed record TemplateDraft(
    string? Name,
    string? Language,
    string? Category,
    string? Body,
    string? Header = null,
    string? Footer = null,
    IReadOnlyList<TemplateButtonDraft>? Buttons = null,
    IReadOnlyDictionary<string, string>? Examples = null);

public sealed record TemplateButtonDraft(string? Type, string? Text, string? Url = null, string? PhoneNumber = null);

/// <summary>Meta's limits on a template, checked before anything is submitted.</summary>
public static class TemplateLimits
{
    public const int Name = 512;
    public const int Body = 1024;
    public const int Header = 60;
    public const int Footer = 60;
    public const int ButtonText = 25;
    public const int MaxButtons = 10;
    public const int MaxLinkButtons = 2;
    public const int MaxPhoneButtons = 1;
    public const int Url = 2000;
}

/// <summary>A draft checked against Meta's rules, as the components JSON Meta's create call takes.</summary>
public sealed record ValidTemplateDraft(string Name, string Language, TemplateCategory Category, TemplateParameterFormat Format, JsonArray Components);

public static partial class TemplateDrafts
{
    /// <summary>Every rule the draft breaks, by field; or the draft as Meta's components.</summary>
    public static (ValidTemplateDraft? Draft, Dictionary<string, string[]>? Errors) Validate(TemplateDraft draft)
    {
        var errors = new Dictionary<string, string[]>();
        void Add(string field, string message) => errors[field] = [.. errors.GetValueOrDefault(field, []), message];

        var name = draft.Name?.Trim() ?? "";
        if (name.Length == 0 || name.Length > TemplateLimits.Name || !NamePattern().IsMatch(name))
        {
            Add("name", $"A template name is 1 to {TemplateLimits.Name} lowercase letters, digits and underscores.");
        }

        var language = draft.Language?.Trim() ?? "";
        if (!LanguagePattern().IsMatch(language))
        {
            Add("language", "A language is Meta's code, e.g. en_US, en, es_MX.");
        }

        var category = MetaNames.Category(draft.Category);
        if (category is null)
        {
            Add("category", "The category is MARKETING or UTILITY.");
        }
        else if (category == TemplateCategory.Authentication)
        {
            Add("category", "Authentication templates have a fixed form written by Meta: create them in WhatsApp Manager, then sync.");
        }

        var body = draft.Body ?? "";
        if (string.IsNullOrWhiteSpace(body) || body.Length > TemplateLimits.Body)
        {
            Add("body", $"The body is 1 to {TemplateLimits.Body} characters.");
        }

        if (draft.Header is { } header && (string.IsNullOrWhiteSpace(header) || header.Length > TemplateLimits.Header))
        {
            Add("header", $"A header is 1 to {TemplateLimits.Header} characters.");
        }

        if (draft.Footer is { } footer && (string.IsNullOrWhiteSpace(footer) || footer.Length > TemplateLimits.Footer))
        {
            Add("footer", $"A footer is 1 to {TemplateLimits.Footer} characters.");
        }

        if (TemplateShape.VariablesIn(draft.Footer).Count > 0)
        {
            Add("footer", "A footer cannot have variables.");
        }

        var headerVariables = TemplateShape.VariablesIn(draft.Header);
        if (headerVariables.Count > 1)
        {
            Add("header", "A header can have at most one variable.");
        }

        var bodyVariables = TemplateShape.VariablesIn(body);
        if (bodyVariables.Count > 0 && (StartsOrEndsWithVariable().IsMatch(body.Trim())))
        {
            Add("body", "Meta refuses a body that starts or ends with a variable: put words around it.");
        }

        var variables = headerVariables.Concat(bodyVariables).Distinct().ToList();
        var format = CheckFormat(headerVariables, bodyVariables, Add);
        CheckExamples(variables, draft.Examples, Add);
        var buttons = CheckButtons(draft.Buttons ?? [], Add);

        if (errors.Count > 0)
        {
            return (null, errors);
        }

        return (new ValidTemplateDraft(name, language, category!.Value, format, Components(draft, format, headerVariables, bodyVariables, buttons)), null);
    }

    private static TemplateParameterFormat CheckFormat(IReadOnlyList<string> header, IReadOnlyList<string> body, Action<string, string> add)
    {
        var all = header.Concat(body).ToList();
        var positional = all.Count(v => v.All(char.IsAsciiDigit));
        if (positional > 0 && positional < all.Count)
        {
            add("body", "Use one style of variables: {{1}}, {{2}} … or names like {{first_name}}, not both.");
            return TemplateParameterFormat.Positional;
        }

        if (positional == 0 && all.Count > 0)
        {
            foreach (var name in all.Where(v => !NamedVariablePattern().IsMatch(v)))
            {
                add("body", $"The variable {{{{{name}}}}} must be lowercase letters, digits and underscores, starting with a letter.");
            }

            return TemplateParameterFormat.Named;
        }

        // Positional variables count from 1 in each part, in order of first use.
        foreach (var (part, variables) in new[] { ("header", header), ("body", body) })
        {
            if (!variables.Select(int.Parse).SequenceEqual(Enumerable.Range(1, variables.Count)))
            {
                add(part, $"Number the {part}'s variables {{{{1}}}}, {{{{2}}}} … in order, without gaps.");
            }
        }

        return TemplateParameterFormat.Positional;
    }

    private static void CheckExamples(IReadOnlyList<string> variables, IReadOnlyDictionary<string, string>? examples, Action<string, string> add)
    {
        foreach (var variable in variables.Where(v => examples?.GetValueOrDefault(v) is not { Length: > 0 } sample || string.IsNullOrWhiteSpace(sample)))
        {
            add($"examples.{variable}", $"Give an example for {{{{{variable}}}}}: Meta's review needs one for every variable.");
        }

        foreach (var extra in (examples?.Keys ?? []).Where(k => !variables.Contains(k)))
        {
            add($"examples.{extra}", $"The template has no variable {{{{{extra}}}}}.");
        }
    }

    private static List<TemplateButton> CheckButtons(IReadOnlyList<TemplateButtonDraft> drafts, Action<string, string> add)
    {
        if (drafts.Count > TemplateLimits.MaxButtons)
        {
            add("buttons", $"A template has at most {TemplateLimits.MaxButtons} buttons.");
        }

        var buttons = new List<TemplateButton>();
        for (var i = 0; i < drafts.Count; i++)
        {
            var draft = drafts[i];
            var field = $"buttons[{i}]";
            var type = draft.Type?.Trim().ToUpperInvariant();
            if (string.IsNullOrWhiteSpace(draft.Text) || draft.Text.Length > TemplateLimits.ButtonText)
            {
                add($"{field}.text", $"A button's text is 1 to {TemplateLimits.ButtonText} characters.");
            }

            switch (type)
            {
                case TemplateButton.QuickReply:
                    break;
                case TemplateButton.Link when !Uri.TryCreate(draft.Url, UriKind.Absolute, out var url) || url.Scheme != Uri.UriSchemeHttps || draft.Url!.Length > TemplateLimits.Url:
                    add($"{field}.url", "A link button needs an https URL.");
                    break;
                case TemplateButton.Link when TemplateShape.VariablesIn(draft.Url).Count > 0:
                    add($"{field}.url", "A variable in a link is not supported yet: use a fixed URL.");
                    break;
                case TemplateButton.Link:
                    break;
                case TemplateButton.Phone when draft.PhoneNumber is null || !PhonePattern().IsMatch(draft.PhoneNumber):
                    add($"{field}.phoneNumber", "A call button needs a number in international form, e.g. +31201234567.");
                    break;
                case TemplateButton.Phone:
                    break;
                default:
                    add($"{field}.type", "A button is QUICK_REPLY, URL or PHONE_NUMBER.");
                    break;
            }

            buttons.Add(new TemplateButton(type ?? "", draft.Text ?? "", draft.Url, draft.PhoneNumber));
        }

        if (buttons.Count(b => b.Type == TemplateButton.Link) > TemplateLimits.MaxLinkButtons)
        {
            add("buttons", $"A template has at most {TemplateLimits.MaxLinkButtons} link buttons.");
        }

        if (buttons.Count(b => b.Type == TemplateButton.Phone) > TemplateLimits.MaxPhoneButtons)
        {
            add("buttons", $"A template has at most {TemplateLimits.MaxPhoneButtons} call button.");
        }

        return buttons;
    }

    /// <summary>The components of Meta's create call, with the examples its review needs.</summary>
    private static JsonArray Components(TemplateDraft draft, TemplateParameterFormat format, IReadOnlyList<string> header, IReadOnlyList<string> body, List<TemplateButton> buttons)
    {
        var examples = draft.Examples ?? new Dictionary<string, string>();
        var components = new JsonArray();
        if (draft.Header is { } headerText)
        {
            var component = new JsonObject { ["type"] = "HEADER", ["format"] = "TEXT", ["text"] = headerText };
            if (header.Count > 0)
            {
                component["example"] = format == TemplateParameterFormat.Named
                    ? new JsonObject { ["header_text_named_params"] = NamedExamples(header, examples) }
                    : new JsonObject { ["header_text"] = new JsonArray([.. header.Select(v => (JsonNode)examples[v])]) };
            }

            components.Add(component);
        }

        var bodyComponent = new JsonObject { ["type"] = "BODY", ["text"] = draft.Body };
        if (body.Count > 0)
        {
            bodyComponent["example"] = format == TemplateParameterFormat.Named
                ? new JsonObject { ["body_text_named_params"] = NamedExamples(body, examples) }
                : new JsonObject { ["body_text"] = new JsonArray(new JsonArray([.. body.Select(v => (JsonNode)examples[v])])) };
        }

        components.Add(bodyComponent);
        if (draft.Footer is { } footer)
        {
            components.Add(new JsonObject { ["type"] = "FOOTER", ["text"] = footer });
        }

        if (buttons.Count > 0)
        {
            components.Add(new JsonObject
            {
                ["type"] = "BUTTONS",
                ["buttons"] = new JsonArray([.. buttons.Select(b =>
                {
                    var button = new JsonObject { ["type"] = b.Type, ["text"] = b.Text };
                    if (b.Url is not null && b.Type == TemplateButton.Link)
                    {
                        button["url"] = b.Url;
                    }

                    if (b.PhoneNumber is not null && b.Type == TemplateButton.Phone)
                    {
                        button["phone_number"] = b.PhoneNumber;
                    }

                    return (JsonNode)button;
                })]),
            });
        }

        return components;
    }

    private static JsonArray NamedExamples(IReadOnlyList<string> variables, IReadOnlyDictionary<string, string> examples) =>
        new([.. variables.Select(v => (JsonNode)new JsonObject { ["param_name"] = v, ["example"] = examples[v] })]);

    [GeneratedRegex("^[a-z0-9_]+$")]
    private static partial Regex NamePattern();

    [GeneratedRegex("^[a-z]{2,3}(_[A-Z]{2})?$")]
    private static partial Regex LanguagePattern();

    [GeneratedRegex("^[a-z][a-z0-9_]*$")]
    private static partial Regex NamedVariablePattern();

    [GeneratedRegex(@"^\{\{[^}]*\}\}|\{\{[^}]*\}\}$")]
    private static partial Regex StartsOrEndsWithVariable();

    [GeneratedRegex(@"^\+[1-9][0-9]{6,14}$")]
    private static partial Regex PhonePattern();
}
