using System.Text.Json.Nodes;
using LeadsPeer.Core.Conversations.Interactive;
using LeadsPeer.Core.Data;
using LeadsPeer.Core.Tenancy;
using LeadsPeer.Core.WhatsApp;
using LeadsPeer.Core.WhatsApp.Sandbox;
using Microsoft.EntityFrameworkCore;

namespace LeadsPeer.Api.Sandbox;

/// <summary>
/// The Meta catalog a sandbox number has, as Meta would check a product message against the
/// catalog linked to the number's WABA: the organisation's own products, under the catalog id its
/// ordering settings name (or <see cref="SandboxCatalogs.Id"/> when they name none).
/// </summary>
internal static class SandboxCatalog
{
    /// <summary>Why Meta would refuse this product message (another catalog, a SKU it does not hold); null when it would send it, or when it shows no products.</summary>
    public static async Task<string?> InvalidProductsAsync(LeadsPeerDbContext db, TenantContext tenant, WhatsAppConnection connection, JsonObject body, CancellationToken cancellationToken)
    {
        var skus = InteractiveMessages.ProductsOf(body);
        if (skus.Count == 0)
        {
            return null;
        }

        tenant.Set(connection.TenantId);
        var linked = await db.OrderingSettings.AsNoTracking().Select(s => s.MetaCatalogId).SingleOrDefaultAsync(cancellationToken) ?? SandboxCatalogs.Id;
        if (body["interactive"]?["action"]?["catalog_id"]?.GetValue<string>() != linked)
        {
            return $"interactive.action.catalog_id is not a catalog linked to this WhatsApp Business Account (the sandbox's is \"{linked}\")";
        }

        var known = await db.Products.AsNoTracking().Where(p => skus.Contains(p.Sku)).Select(p => p.Sku).ToListAsync(cancellationToken);
        return skus.Except(known).FirstOrDefault() is { } missing
            ? $"product_retailer_id \"{missing}\" is not in the catalog"
            : null;
    }
}
