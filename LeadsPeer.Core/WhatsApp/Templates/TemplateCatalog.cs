using LeadsPeer.Core.Accounts;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using LeadsPeer.Core.Audit;
using LeadsPeer.Core.Data;
using LeadsPeer.Core.Live;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace LeadsPeer.Core.WhatsApp.Templates;

/// <summary>
/// The one owner of the product's copy of a number's templates: listed, synced from Meta (every
/// page), submitted for review, deleted, and moved by Meta's status, quality and category
/// webhooks. Meta decides a template's state; nothing else writes these rows.
/// </summary>
public sealed partial class TemplateCatalog(
    LeadsPeerDbContext db,
    CurrentMember member,
    GraphGateway gateway,
    ConnectionLifecycle lifecycle,
    AuditLog audit,
    LiveEventPublisher live,
    TimeProvider time,
    ILogger<TemplateCatalog> logger)
{
    /// <summary>Pages read in one sync at most (100 templates each; Meta allows a WABA up to 6,000 templates).</summary>
    private const int MaxPages = 60;

    public async Task<Outcome<IReadOnlyList<TemplateView>>> ListAsync(Guid connectionId, CancellationToken cancellationToken)
    {
        if (await FindConnectionAsync(connectionId, cancellationToken) is null)
        {
            return NoConnection();
        }

        var templates = await db.MessageTemplates.AsNoTracking().Where(t => t.ConnectionId == connectionId)
            .OrderBy(t => t.Name).ThenBy(t => t.Language).ToListAsync(cancellationToken);
        return templates.Select(TemplateView.Of).ToList();
    }

    /// <summary>The approved templates of the number a conversation runs on: what the composer offers once the window has closed.</summary>
    public async Task<IReadOnlyList<TemplateView>> ApprovedForConversationAsync(Guid conversationId, CancellationToken cancellationToken)
    {
        var templates = await db.Conversations.Where(c => c.Id == conversationId)
            .Join(db.MessageTemplates, c => c.ConnectionId, t => t.ConnectionId, (_, t) => t)
            .Where(t => t.Status == TemplateStatus.Approved && t.Category != TemplateCategory.Authentication)
            .OrderBy(t => t.Name).ThenBy(t => t.Language).AsNoTracking().ToListAsync(cancellationToken);
        return templates.Select(TemplateView.Of).ToList();
    }

    /// <summary>Reads every template of the number's WABA from Meta and makes the copy match: new ones added, changed ones updated, deleted ones removed.</summary>
    public async Task<Outcome<IReadOnlyList<TemplateView>>> SyncAsync(Guid connectionId, CancellationToken cancellationToken)
    {
        if (member.Refuses(Permission.ManageWhatsApp) is { } refused)
        {
            return refused;
        }

        if (await UsableConnectionAsync(connectionId, cancellationToken) is not { } graph)
        {
            return await FindConnectionAsync(connectionId, cancellationToken) is null ? NoConnection() : NotConnected();
        }

        var fromMeta = new List<JsonObject>();
        string? after = null;
        for (var page = 0; page < MaxPages; page++)
        {
            var answer = await CallAsync(graph, () => graph.ListTemplatesAsync(after, cancellationToken));
            if (!answer.Succeeded)
            {
                return answer.Error!;
            }

            fromMeta.AddRange(answer.Value.Templates);
            if ((after = answer.Value.Next) is null)
            {
                break;
            }
        }

        var now = time.GetUtcNow();
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            await LockConnectionAsync(connectionId, cancellationToken);
            var stored = await db.MessageTemplates.Where(t => t.ConnectionId == connectionId).ToListAsync(cancellationToken);
            var seen = new HashSet<MessageTemplate>();
            foreach (var meta in fromMeta)
            {
                if (Str(meta, "name") is not { } name || Str(meta, "language") is not { } language)
                {
                    continue;
                }

                var template = stored.FirstOrDefault(t => t.Name == name && t.Language == language);
                if (template is null)
                {
                    template = new MessageTemplate { ConnectionId = connectionId, Name = name, Language = language, Components = "[]", CreatedAt = now };
                    db.Add(template);
                }

                Copy(meta, template, now);
                seen.Add(template);
            }

            db.RemoveRange(stored.Where(t => !seen.Contains(t)));
            audit.Record("template.sync", "connection", connectionId, $"{fromMeta.Count} template(s)");
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        await AnnounceAsync(graph.Connection);
        return await ListAsync(connectionId, cancellationToken);
    }

    /// <summary>Checks the draft against Meta's rules, submits it for review and keeps it as Meta answered (usually PENDING).</summary>
    public async Task<Outcome<TemplateView>> CreateAsync(Guid connectionId, TemplateDraft draft, CancellationToken cancellationToken)
    {
        if (member.Refuses(Permission.ManageWhatsApp) is { } refused)
        {
            return refused;
        }

        if (await FindConnectionAsync(connectionId, cancellationToken) is null)
        {
            return NoConnection();
        }

        var (valid, errors) = TemplateDrafts.Validate(draft);
        if (valid is null)
        {
            return new UseCaseError(FailureKind.Invalid, "The template breaks WhatsApp's rules.", errors);
        }

        if (await UsableConnectionAsync(connectionId, cancellationToken) is not { } graph)
        {
            return NotConnected();
        }

        if (await db.MessageTemplates.AnyAsync(t => t.ConnectionId == connectionId && t.Name == valid.Name && t.Language == valid.Language, cancellationToken))
        {
            return UseCaseError.Conflict($"A template '{valid.Name}' in {valid.Language} already exists for this number.");
        }

        var request = new JsonObject
        {
            ["name"] = valid.Name,
            ["language"] = valid.Language,
            ["category"] = MetaNames.Of(valid.Category),
            ["parameter_format"] = MetaNames.Of(valid.Format),
            ["components"] = valid.Components.DeepClone(),
        };
        var answer = await CallAsync(graph, () => graph.CreateTemplateAsync(request, cancellationToken));
        if (!answer.Succeeded)
        {
            return answer.Error!;
        }

        var now = time.GetUtcNow();
        var template = new MessageTemplate
        {
            ConnectionId = connectionId,
            MetaId = Str(answer.Value!, "id"),
            Name = valid.Name,
            Language = valid.Language,
            Category = MetaNames.Category(Str(answer.Value!, "category")) ?? valid.Category,
            Status = Str(answer.Value!, "status") is { } status ? MetaNames.Status(status) : TemplateStatus.Pending,
            ParameterFormat = valid.Format,
            Components = valid.Components.ToJsonString(),
            CreatedAt = now,
            UpdatedAt = now,
        };
        db.Add(template);
        audit.Record("template.create", "template", template.Id, $"{template.Name} ({template.Language})");
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (StoreErrors.IsUniqueViolation(ex))
        {
            // A sync running at the same moment stored it first: Meta has it, and so do we.
            db.ChangeTracker.Clear();
        }

        await AnnounceAsync(graph.Connection);
        return TemplateView.Of(await db.MessageTemplates.AsNoTracking()
            .SingleAsync(t => t.ConnectionId == connectionId && t.Name == valid.Name && t.Language == valid.Language, cancellationToken));
    }

    /// <summary>Deletes the template (every language of the name) at Meta, then here.</summary>
    public async Task<Outcome<bool>> DeleteAsync(Guid connectionId, string name, CancellationToken cancellationToken)
    {
        if (member.Refuses(Permission.ManageWhatsApp) is { } refused)
        {
            return refused;
        }

        if (await FindConnectionAsync(connectionId, cancellationToken) is null)
        {
            return NoConnection();
        }

        if (!await db.MessageTemplates.AnyAsync(t => t.ConnectionId == connectionId && t.Name == name, cancellationToken))
        {
            return UseCaseError.NotFound($"This number has no template '{name}'. Sync if it was made in WhatsApp Manager.");
        }

        if (await UsableConnectionAsync(connectionId, cancellationToken) is not { } graph)
        {
            return NotConnected();
        }

        var answer = await CallAsync(graph, async () =>
        {
            await graph.DeleteTemplateAsync(name, cancellationToken);
            return true;
        });
        if (!answer.Succeeded)
        {
            return answer.Error!;
        }

        await db.MessageTemplates.Where(t => t.ConnectionId == connectionId && t.Name == name).ExecuteDeleteAsync(cancellationToken);
        audit.Record("template.delete", "connection", connectionId, name);
        await db.SaveChangesAsync(cancellationToken);
        await AnnounceAsync(graph.Connection);
        return true;
    }

    /// <summary>A row from Meta's list, copied over the stored one.</summary>
    private static void Copy(JsonObject meta, MessageTemplate template, DateTimeOffset now)
    {
        template.MetaId = Str(meta, "id") ?? template.MetaId;
        template.Category = MetaNames.Category(Str(meta, "category")) ?? template.Category;
        template.Status = MetaNames.Status(Str(meta, "status"));
        template.StatusReason = Reason(Str(meta, "rejected_reason"));
        template.Quality = meta["quality_score"] is JsonObject quality ? Str(quality, "score") : Str(meta, "quality_score");
        template.ParameterFormat = Str(meta, "parameter_format")?.ToUpperInvariant() == "NAMED" ? TemplateParameterFormat.Named : TemplateParameterFormat.Positional;
        template.Components = (meta["components"] as JsonArray ?? []).ToJsonString();
        template.UpdatedAt = now;
    }

    /// <summary>Meta writes "NONE" where there is no reason.</summary>
    private static string? Reason(string? meta) =>
        string.IsNullOrWhiteSpace(meta) || meta.Equals("NONE", StringComparison.OrdinalIgnoreCase) ? null : meta.Length > 500 ? meta[..500] : meta;

    /// <summary>A Graph call, its refusals in words: a rejected token flags the number; Meta's other refusals carry Meta's message.</summary>
    private async Task<Outcome<T>> CallAsync<T>(ConnectionGraph graph, Func<Task<T>> call)
    {
        try
        {
            return await call();
        }
        catch (GraphApiException ex) when (ex.IsInvalidToken)
        {
            await lifecycle.TokenRejectedAsync(graph.Connection);
            return UseCaseError.Conflict(Conversations.GraphErrors.TokenRejectedMessage);
        }
        catch (GraphApiException ex) when ((int)ex.Status is >= 400 and < 500)
        {
            LogGraphRefused(logger, ex.Code, ex.Subcode);
            return UseCaseError.Invalid("template", $"Meta refused it: {ex.GraphMessage}");
        }
        catch (Exception ex) when (ex is GraphApiException or HttpRequestException or TimeoutException or Polly.Timeout.TimeoutRejectedException)
        {
            return UseCaseError.Upstream("Meta could not be reached or answered with an error; try again in a moment.");
        }
        catch (CryptographicException)
        {
            return UseCaseError.Conflict(Conversations.GraphErrors.UndecryptableToken);
        }
    }

    private Task<WhatsAppConnection?> FindConnectionAsync(Guid connectionId, CancellationToken cancellationToken) =>
        db.WhatsAppConnections.AsNoTracking().SingleOrDefaultAsync(c => c.Id == connectionId && c.Status != WhatsAppConnectionStatus.Removed, cancellationToken);

    private async Task<ConnectionGraph?> UsableConnectionAsync(Guid connectionId, CancellationToken cancellationToken) =>
        await FindConnectionAsync(connectionId, cancellationToken) is { } connection && gateway.For(connection) is { CanCall: true } graph ? graph : null;

    /// <summary>Orders syncs and creates of one number: the second waits for the first's commit.</summary>
    private Task LockConnectionAsync(Guid connectionId, CancellationToken cancellationToken) =>
        db.Database.ExecuteSqlAsync($"SELECT 1 FROM whats_app_connections WHERE id = {connectionId} FOR UPDATE", cancellationToken);

    private Task AnnounceAsync(WhatsAppConnection connection) =>
        RedisOutage.WaitBrieflyAsync(live.PublishAsync(connection.TenantId, new LiveEvent(LiveEventTypes.TemplatesChanged, ConnectionId: connection.Id)));

    private static UseCaseError NoConnection() => UseCaseError.NotFound("No such WhatsApp number in this organisation.");

    private static UseCaseError NotConnected() =>
        UseCaseError.Conflict("The number is not connected (it needs Embedded Signup again, or was removed): templates cannot be managed until it is.");

    private static string? Str(JsonObject node, string name) =>
        node[name] is JsonValue value ? value.TryGetValue<string>(out var text) ? text : value.ToJsonString() : null;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Meta refused a template call: code {Code}, subcode {Subcode}")]
    private static partial void LogGraphRefused(ILogger logger, int? code, int? subcode);
}
