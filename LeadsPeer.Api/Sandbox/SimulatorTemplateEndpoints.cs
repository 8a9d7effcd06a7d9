using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using LeadsPeer.Core.Data;
using LeadsPeer.Core.Security;
using LeadsPeer.Core.Tenancy;
using LeadsPeer.Core.WhatsApp;
using LeadsPeer.Core.WhatsApp.Sandbox;
using LeadsPeer.Core.WhatsApp.Templates;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace LeadsPeer.Api.Sandbox;

/// <summary>
/// Meta's <c>/{waba_id}/message_templates</c> for sandbox WABAs: list (paged with cursors),
/// create and delete, answered and refused like Graph. Review is simulated: a new template is
/// PENDING, then APPROVED after <see cref="SandboxOptions.TemplateReviewAfter"/> — REJECTED when
/// its name starts <c>reject_</c> — and a signed <c>message_template_status_update</c> webhook says so.
/// </summary>
public static partial class SimulatorTemplateEndpoints
{
    public const string RejectPrefix = "reject_";

    public static IEndpointRouteBuilder MapSimulatorTemplateEndpoints(this IEndpointRouteBuilder routes)
    {
        var path = $"{SimulatorEndpoints.Prefix}/{{version}}/{{wabaId}}/message_templates";
        routes.MapGet(path, ListAsync).AllowAnonymous().ExcludeFromDescription();
        routes.MapPost(path, CreateAsync).AllowAnonymous().ExcludeFromDescription();
        routes.MapDelete(path, DeleteAsync).AllowAnonymous().ExcludeFromDescription();
        return routes;
    }

    private static async Task<IResult> ListAsync(
        string wabaId, string? after, int? limit, HttpRequest request, LeadsPeerDbContext db, TokenProtector protector, TimeProvider time, CancellationToken cancellationToken)
    {
        var (connection, refused) = await AuthorizeAsync(wabaId, request, db, protector, cancellationToken);
        if (connection is null)
        {
            return refused!;
        }

        if (Cursor(after) is not { } offset)
        {
            return SimulatorEndpoints.GraphError(400, 100, null, "(#100) Invalid parameter: after is not a cursor of this list.");
        }

        var size = Math.Clamp(limit ?? 25, 1, 100);
        var page = await db.SandboxTemplates.AcrossTenants().AsNoTracking().Where(t => t.WabaId == connection.WabaId)
            .OrderBy(t => t.CreatedAt).ThenBy(t => t.Id).Skip(offset).Take(size + 1).ToListAsync(cancellationToken);
        var now = time.GetUtcNow();
        var paging = new JsonObject
        {
            ["cursors"] = new JsonObject { ["before"] = CursorOf(offset), ["after"] = CursorOf(offset + Math.Min(size, page.Count)) },
        };
        if (page.Count > size)
        {
            paging["next"] = $"{request.Scheme}://{request.Host}{request.Path}?limit={size}&after={CursorOf(offset + size)}";
        }

        return TypedResults.Json(new JsonObject
        {
            ["data"] = new JsonArray([.. page.Take(size).Select(t => (JsonNode)ToMeta(t, now))]),
            ["paging"] = paging,
        });
    }

    private static async Task<IResult> CreateAsync(
        string wabaId, HttpRequest request, LeadsPeerDbContext db, TenantContext tenant, TokenProtector protector,
        SimulatedStatusPoster poster, IOptions<SandboxOptions> options, TimeProvider time, CancellationToken cancellationToken)
    {
        var (connection, refused) = await AuthorizeAsync(wabaId, request, db, protector, cancellationToken);
        if (connection is null)
        {
            return refused!;
        }

        JsonObject? body;
        try
        {
            body = await JsonNode.ParseAsync(request.Body, cancellationToken: cancellationToken) as JsonObject;
        }
        catch (JsonException)
        {
            body = null;
        }

        var name = Str(body, "name");
        var language = Str(body, "language");
        var category = Str(body, "category");
        if (name is null || !NamePattern().IsMatch(name) || language is null || category is not ("MARKETING" or "UTILITY" or "AUTHENTICATION")
            || body!["components"] is not JsonArray components || !components.OfType<JsonObject>().Any(c => Str(c, "type") == "BODY"))
        {
            return SimulatorEndpoints.GraphError(400, 100, 2388042, "(#100) Invalid parameter: a template needs a lowercase name, a language, a category and a BODY component.");
        }

        if (await db.SandboxTemplates.AcrossTenants().AnyAsync(t => t.WabaId == connection.WabaId && t.Name == name && t.Language == language, cancellationToken))
        {
            return SimulatorEndpoints.GraphError(400, 100, 2388024, $"(#100) Content in this language already exists: {name} ({language}).");
        }

        var now = time.GetUtcNow();
        var rejected = name.StartsWith(RejectPrefix, StringComparison.Ordinal);
        var template = new SandboxTemplate
        {
            ConnectionId = connection.Id,
            WabaId = connection.WabaId,
            MetaId = (RandomNumberGenerator.GetInt32(100_000, 1_000_000) * 1_000_000_000L + RandomNumberGenerator.GetInt32(0, 1_000_000_000)).ToString(CultureInfo.InvariantCulture),
            Name = name,
            Language = language,
            Category = category,
            ParameterFormat = Str(body, "parameter_format") ?? "POSITIONAL",
            Components = components.ToJsonString(),
            Decision = rejected ? "REJECTED" : "APPROVED",
            RejectedReason = rejected ? "INVALID_FORMAT" : null,
            DecidedAt = now + options.Value.TemplateReviewAfter,
            CreatedAt = now,
        };
        tenant.Set(connection.TenantId);
        db.SandboxTemplates.Add(template);
        await db.SaveChangesAsync(cancellationToken);
        poster.Enqueue(template.DecidedAt, SimulatedWebhooks.TemplateStatus(connection.WabaId, template, template.Decision, template.RejectedReason, template.DecidedAt));
        return TypedResults.Json(new JsonObject { ["id"] = template.MetaId, ["status"] = "PENDING", ["category"] = category });
    }

    private static async Task<IResult> DeleteAsync(
        string wabaId, string? name, HttpRequest request, LeadsPeerDbContext db, TokenProtector protector, CancellationToken cancellationToken)
    {
        var (connection, refused) = await AuthorizeAsync(wabaId, request, db, protector, cancellationToken);
        if (connection is null)
        {
            return refused!;
        }

        var deleted = await db.SandboxTemplates.AcrossTenants().Where(t => t.WabaId == connection.WabaId && t.Name == name).ExecuteDeleteAsync(cancellationToken);
        return deleted == 0
            ? SimulatorEndpoints.GraphError(400, 100, 2593002, $"(#100) Message template \"{name}\" not found.")
            : TypedResults.Json(new JsonObject { ["success"] = true });
    }

    /// <summary>
    /// A posted <c>template</c> message read like Graph reads it: the text the customer sees, or
    /// Graph's error — 132001 when no approved template has that name and language, 132000 when
    /// the parameters do not match its variables.
    /// </summary>
    public static async Task<(string? Text, IResult? Error)> RenderAsync(
        LeadsPeerDbContext db, WhatsAppConnection connection, JsonObject? send, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var name = Str(send, "name");
        var language = Str(send?["language"] as JsonObject, "code");
        var template = await db.SandboxTemplates.AcrossTenants().AsNoTracking()
            .SingleOrDefaultAsync(t => t.WabaId == connection.WabaId && t.Name == name && t.Language == language, cancellationToken);
        if (template is null || template.StatusAt(now) != "APPROVED")
        {
            return (null, SimulatorEndpoints.GraphError(404, 132001, null, $"(#132001) Template name does not exist in the translation: {name} ({language})"));
        }

        var shape = TemplateShape.Parse(template.Components);
        var (values, code, error) = TemplateSending.Read(shape, send);
        return values is null
            ? (null, SimulatorEndpoints.GraphError(400, code!.Value, null, error!))
            : (shape.Render(values), null);
    }

    private static JsonObject ToMeta(SandboxTemplate template, DateTimeOffset now)
    {
        var status = template.StatusAt(now);
        return new JsonObject
        {
            ["id"] = template.MetaId,
            ["name"] = template.Name,
            ["status"] = status,
            ["category"] = template.Category,
            ["language"] = template.Language,
            ["parameter_format"] = template.ParameterFormat,
            ["components"] = JsonNode.Parse(template.Components),
            ["quality_score"] = new JsonObject { ["score"] = status == "APPROVED" ? "GREEN" : "UNKNOWN" },
            ["rejected_reason"] = status == "REJECTED" ? template.RejectedReason : "NONE",
        };
    }

    /// <summary>The sandbox connection of the WABA, or Graph's refusal: an unknown object (100/33), or a token that is not the number's (190).</summary>
    private static async Task<(WhatsAppConnection? Connection, IResult? Refused)> AuthorizeAsync(
        string wabaId, HttpRequest request, LeadsPeerDbContext db, TokenProtector protector, CancellationToken cancellationToken)
    {
        var connection = await db.WhatsAppConnections.AcrossTenants().AsNoTracking()
            .FirstOrDefaultAsync(c => c.WabaId == wabaId && c.Kind == WhatsAppConnectionKind.Sandbox && c.Status != WhatsAppConnectionStatus.Removed, cancellationToken);
        if (connection is null)
        {
            return (null, SimulatorEndpoints.GraphError(400, 100, 33,
                $"Unsupported request. Object with ID '{wabaId}' does not exist, cannot be loaded due to missing permissions, or does not support this operation."));
        }

        return SimulatorEndpoints.HasToken(request, connection, protector)
            ? (connection, null)
            : (null, SimulatorEndpoints.GraphError(401, 190, null, "Invalid OAuth access token - Cannot parse access token"));
    }

    /// <summary>The offset a cursor names (0 without one); null for text that is not a cursor of ours, which Graph refuses too.</summary>
    private static int? Cursor(string? after)
    {
        if (after is null)
        {
            return 0;
        }

        Span<byte> bytes = stackalloc byte[64];
        return Convert.TryFromBase64String(after, bytes, out var written)
               && int.TryParse(Encoding.UTF8.GetString(bytes[..written]), NumberStyles.None, CultureInfo.InvariantCulture, out var offset)
            ? offset
            : null;
    }

    private static string CursorOf(int offset) => Convert.ToBase64String(Encoding.UTF8.GetBytes(offset.ToString(CultureInfo.InvariantCulture)));

    private static string? Str(JsonObject? node, string name) =>
        node?[name] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    [GeneratedRegex("^[a-z0-9_]{1,512}$")]
    private static partial Regex NamePattern();
}
