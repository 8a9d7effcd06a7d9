using LeadsPeer.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace LeadsPeer.Core.WhatsApp.Templates;

/// <summary>The catalog's side of Meta's template webhooks: review decisions, quality and category changes.</summary>
public sealed partial class TemplateCatalog
{
    /// <summary>
    /// Meta's template webhooks, for whichever organisations have a number on the WABA (they cross
    /// tenants on purpose, like all webhook routing). A webhook for a template the product does not
    /// have is logged and ignored: a sync brings it in.
    /// </summary>
    public async Task ApplyAsync(IReadOnlyList<TemplateEvent> events, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        foreach (var change in events)
        {
            var matching = db.MessageTemplates.AcrossTenants()
                .Where(t => db.WhatsAppConnections.AcrossTenants().Any(c => c.Id == t.ConnectionId && c.WabaId == change.WabaId && c.Status != WhatsAppConnectionStatus.Removed))
                .Where(t => (change.TemplateId != null && t.MetaId == change.TemplateId) || (t.Name == change.Name && t.Language == change.Language));
            var updated = change.Field switch
            {
                TemplateEvent.StatusField => await matching.ExecuteUpdateAsync(s => s
                    .SetProperty(t => t.Status, MetaNames.Status(change.Event))
                    .SetProperty(t => t.StatusReason, Reason(change.Reason))
                    .SetProperty(t => t.UpdatedAt, now), cancellationToken),
                TemplateEvent.QualityField => await matching.ExecuteUpdateAsync(s => s
                    .SetProperty(t => t.Quality, change.Quality)
                    .SetProperty(t => t.UpdatedAt, now), cancellationToken),
                TemplateEvent.CategoryField when MetaNames.Category(change.Category) is { } category => await matching.ExecuteUpdateAsync(s => s
                    .SetProperty(t => t.Category, category)
                    .SetProperty(t => t.UpdatedAt, now), cancellationToken),
                _ => 0,
            };
            if (updated == 0)
            {
                LogUnknownTemplate(logger, change.Field, change.TemplateId);
                continue;
            }

            var connections = await db.WhatsAppConnections.AcrossTenants().AsNoTracking()
                .Where(c => c.WabaId == change.WabaId && c.Status != WhatsAppConnectionStatus.Removed).ToListAsync(cancellationToken);
            foreach (var connection in connections)
            {
                await AnnounceAsync(connection);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Template webhook {Field} for a template this product does not have (Meta id {TemplateId}): ignored")]
    private static partial void LogUnknownTemplate(ILogger logger, string field, string? templateId);
}
