using System.Text.Json.Nodes;

namespace LeadsPeer.Core.WhatsApp.Templates;

/// <summary>A template as screens and the API show it: Meta's state and reason, its parts and the parameters a send fills.</summary>
public sealed record TemplateView(
    Guid Id,
    Guid ConnectionId,
    string Name,
    string Language,
    TemplateCategory Category,
    TemplateStatus Status,
    string? StatusReason,
    string? Quality,
    TemplateParameterFormat ParameterFormat,
    string? Header,
    string Body,
    string? Footer,
    IReadOnlyList<TemplateButton> Buttons,
    IReadOnlyList<string> Parameters,
    JsonNode? Components,
    DateTimeOffset UpdatedAt)
{
    public static TemplateView Of(MessageTemplate template)
    {
        var shape = TemplateShape.Parse(template.Components);
        return new TemplateView(template.Id, template.ConnectionId, template.Name, template.Language, template.Category, template.Status,
            template.StatusReason, template.Quality, template.ParameterFormat, shape.Header, shape.Body, shape.Footer, shape.Buttons,
            shape.Variables, JsonNode.Parse(template.Components), template.UpdatedAt);
    }
}

/// <summary>
/// A <c>message_template_status_update</c>, <c>message_template_quality_update</c> or
/// <c>template_category_update</c> webhook: Meta names only the WABA (<c>entry[].id</c>) and the
/// template (id, name, language), so it is routed by WABA to the connections on it.
/// </summary>
public sealed record TemplateEvent(
    string WabaId,
    string Field,
    string? TemplateId,
    string? Name,
    string? Language,
    string? Event = null,
    string? Reason = null,
    string? Quality = null,
    string? Category = null)
{
    public const string StatusField = "message_template_status_update";
    public const string QualityField = "message_template_quality_update";
    public const string CategoryField = "template_category_update";

    public static readonly IReadOnlySet<string> Fields = new HashSet<string> { StatusField, QualityField, CategoryField };
}
