using System.Text.Json;
using System.Text.RegularExpressions;
using LeadsPeer.Core.Accounts;
using LeadsPeer.Core.Audit;
using LeadsPeer.Core.Catalog;
using LeadsPeer.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace LeadsPeer.Core.Ordering;

/// <summary>The ordering settings as shown and saved; amounts in the organisation's currency.</summary>
public sealed record OrderingSettingsView(
    bool Enabled,
    string? Currency,
    string ReferencePrefix,
    bool Delivery,
    bool Pickup,
    decimal DeliveryFee,
    decimal? FreeDeliveryAbove,
    IReadOnlyList<string> DeliveryAreas,
    decimal MinimumOrder,
    int LeadTimeMinutes,
    IReadOnlyList<PaymentMethod> PaymentMethods,
    string? PaymentLinkUrl,
    string? BankTransferDetails,
    string? UpdateTemplateName,
    string? UpdateTemplateLanguage,
    IReadOnlyDictionary<string, string> UpdateTemplateParameters,
    string? MetaCatalogId,
    DateTimeOffset? UpdatedAt);

/// <summary>The whole settings (PUT replaces them); omitted fields take their defaults.</summary>
public sealed record OrderingSettingsInput(
    bool? Enabled = null,
    string? Currency = null,
    string? ReferencePrefix = null,
    bool? Delivery = null,
    bool? Pickup = null,
    decimal? DeliveryFee = null,
    decimal? FreeDeliveryAbove = null,
    IReadOnlyList<string>? DeliveryAreas = null,
    decimal? MinimumOrder = null,
    int? LeadTimeMinutes = null,
    IReadOnlyList<PaymentMethod>? PaymentMethods = null,
    string? PaymentLinkUrl = null,
    string? BankTransferDetails = null,
    string? UpdateTemplateName = null,
    string? UpdateTemplateLanguage = null,
    IReadOnlyDictionary<string, string>? UpdateTemplateParameters = null,
    string? MetaCatalogId = null);

/// <summary>Reads and saves how the organisation takes orders (<see cref="Permission.ManageCatalog"/> to change).</summary>
public sealed partial class OrderingSettingsService(LeadsPeerDbContext db, CurrentMember member, AuditLog audit, TimeProvider time)
{
    public static OrderingSettings Defaults(Guid tenantId) => new() { TenantId = tenantId };

    public async Task<OrderingSettingsView> GetAsync(CancellationToken cancellationToken) =>
        View(await db.OrderingSettings.AsNoTracking().SingleOrDefaultAsync(cancellationToken) ?? Defaults(member.OrganizationId ?? Guid.Empty));

    public async Task<Outcome<OrderingSettingsView>> SaveAsync(OrderingSettingsInput input, CancellationToken cancellationToken)
    {
        if (member.Refuses(Permission.ManageCatalog) is { } refused)
        {
            return refused;
        }

        var settings = await db.OrderingSettings.SingleOrDefaultAsync(cancellationToken);
        var currency = Clean(input.Currency)?.ToUpperInvariant() ?? settings?.Currency;
        var errors = new Dictionary<string, string[]>();
        void Fail(string field, string message) => errors[field] = [message];
        long Amount(string field, decimal? amount)
        {
            if (amount is not { } value || currency is null)
            {
                if (amount is not (null or 0))
                {
                    Fail("currency", "Name the currency the amounts are in.");
                }

                return 0;
            }

            var (minor, error) = Money.ToMinor(value, currency);
            if (error is not null)
            {
                Fail(field, error);
            }

            return minor ?? 0;
        }

        if (currency is not null && !Money.IsCurrency(currency))
        {
            Fail("currency", $"'{currency}' is not an ISO 4217 currency code (e.g. PKR, USD, EUR).");
            currency = null;
        }
        else if (settings?.Currency is { } current && currency != current && await db.Products.AnyAsync(cancellationToken))
        {
            Fail("currency", $"The catalog's prices are in {current}: remove its products before changing the currency.");
        }

        var prefix = Clean(input.ReferencePrefix)?.ToUpperInvariant() ?? settings?.ReferencePrefix ?? "ORD";
        if (!PrefixPattern().IsMatch(prefix))
        {
            Fail("referencePrefix", $"A reference prefix is 1 to {OrderingLimits.Prefix} letters or digits, starting with a letter (e.g. GTB).");
        }

        // The catalog linked to the WABA in Commerce Manager (Meta's ids are digits): its product lists name our SKUs.
        if (Clean(input.MetaCatalogId) is { } catalogId && !CatalogIdPattern().IsMatch(catalogId))
        {
            Fail("metaCatalogId", "A Meta catalog id is up to 64 letters, digits, '-' or '_' (Commerce Manager shows it, e.g. 1204876330411024).");
        }

        var delivery = input.Delivery ?? true;
        var pickup = input.Pickup ?? false;
        if (!delivery && !pickup)
        {
            Fail("delivery", "Offer delivery, pickup or both.");
        }

        var fee = Amount("deliveryFee", input.DeliveryFee ?? 0);
        long? freeAbove = input.FreeDeliveryAbove is null ? null : Amount("freeDeliveryAbove", input.FreeDeliveryAbove);
        var minimum = Amount("minimumOrder", input.MinimumOrder ?? 0);
        var areas = (input.DeliveryAreas ?? []).Select(a => a.Trim()).Where(a => a.Length > 0).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        if (areas.Count > OrderingLimits.Areas || areas.Any(a => a.Length > CatalogLimits.Name))
        {
            Fail("deliveryAreas", $"At most {OrderingLimits.Areas} delivery areas of at most {CatalogLimits.Name} characters each.");
        }

        if (input.LeadTimeMinutes is < 0 or > 60 * 24 * 60)
        {
            Fail("leadTimeMinutes", "The lead time is between 0 minutes and 60 days.");
        }

        var methods = (input.PaymentMethods ?? [PaymentMethod.CashOnDelivery]).Distinct().ToList();
        if (methods.Count == 0)
        {
            Fail("paymentMethods", "Offer at least one way to pay.");
        }

        var link = Clean(input.PaymentLinkUrl);
        if (link is not null && (!Uri.TryCreate(link, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttps || link.Length > CatalogLimits.Url))
        {
            Fail("paymentLinkUrl", "A payment link is an https:// address.");
        }
        else if (methods.Contains(PaymentMethod.PaymentLink) && link is null)
        {
            Fail("paymentLinkUrl", "Paying by link needs the link.");
        }

        var bank = Clean(input.BankTransferDetails);
        if (methods.Contains(PaymentMethod.BankTransfer) && bank is null)
        {
            Fail("bankTransferDetails", "Paying by bank transfer needs the account details the customer is sent.");
        }
        else if (bank?.Length > OrderingLimits.Text)
        {
            Fail("bankTransferDetails", $"At most {OrderingLimits.Text} characters.");
        }

        var parameters = new Dictionary<string, string>(input.UpdateTemplateParameters ?? new Dictionary<string, string>());
        if (parameters.Values.FirstOrDefault(v => !OrderFields.All.Contains(v)) is { } unknownField)
        {
            Fail("updateTemplateParameters", $"'{unknownField}' is not an order field; the fields are {string.Join(", ", OrderFields.All)}.");
        }

        var template = Clean(input.UpdateTemplateName);
        if (template is not null && !await db.MessageTemplates.AnyAsync(t => t.Name == template, cancellationToken))
        {
            Fail("updateTemplateName", $"None of the organisation's numbers has a template '{template}'. Sync the templates if it was made in WhatsApp Manager.");
        }

        if (input.Enabled == true && currency is null)
        {
            Fail("currency", "Ordering needs the currency its prices are in.");
        }

        if (errors.Count > 0)
        {
            return new UseCaseError(FailureKind.Invalid, "The ordering settings are not valid.", errors);
        }

        if (settings is null)
        {
            settings = db.OrderingSettings.Add(Defaults(member.OrganizationId!.Value)).Entity;
        }

        settings.Enabled = input.Enabled ?? false;
        settings.Currency = currency;
        settings.ReferencePrefix = prefix;
        settings.Delivery = delivery;
        settings.Pickup = pickup;
        settings.DeliveryFeeMinor = fee;
        settings.FreeDeliveryAboveMinor = freeAbove;
        settings.DeliveryAreas = areas;
        settings.MinimumOrderMinor = minimum;
        settings.LeadTimeMinutes = input.LeadTimeMinutes ?? 0;
        settings.PaymentMethods = methods;
        settings.PaymentLinkUrl = link;
        settings.BankTransferDetails = bank;
        settings.UpdateTemplateName = template;
        settings.UpdateTemplateLanguage = Clean(input.UpdateTemplateLanguage);
        settings.UpdateTemplateParameters = JsonSerializer.Serialize(parameters);
        settings.MetaCatalogId = Clean(input.MetaCatalogId);
        settings.UpdatedAt = time.GetUtcNow();
        audit.Record("ordering.settings.saved", nameof(OrderingSettings), settings.TenantId, settings.Enabled ? "ordering on" : "ordering off");
        await db.SaveChangesAsync(cancellationToken);
        return View(settings);
    }

    public static OrderingSettingsView View(OrderingSettings s)
    {
        decimal Amount(long minor) => s.Currency is null ? minor : Money.ToAmount(minor, s.Currency);
        return new(s.Enabled, s.Currency, s.ReferencePrefix, s.Delivery, s.Pickup, Amount(s.DeliveryFeeMinor),
            s.FreeDeliveryAboveMinor is { } free ? Amount(free) : null, s.DeliveryAreas, Amount(s.MinimumOrderMinor), s.LeadTimeMinutes,
            s.PaymentMethods, s.PaymentLinkUrl, s.BankTransferDetails, s.UpdateTemplateName, s.UpdateTemplateLanguage, s.TemplateParameters(),
            s.MetaCatalogId, s.UpdatedAt);
    }

    private static string? Clean(string? value) => ProductRules.Clean(value);

    [GeneratedRegex("^[A-Z][A-Z0-9]{0,7}$")]
    private static partial Regex PrefixPattern();

    [GeneratedRegex("^[A-Za-z0-9_-]{1,64}$")]
    private static partial Regex CatalogIdPattern();
}
