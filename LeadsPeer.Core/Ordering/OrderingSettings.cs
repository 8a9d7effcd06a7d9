using LeadsPeer.Core.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace LeadsPeer.Core.Ordering;

/// <summary>How a customer pays: what the ordering flow offers and the order records.</summary>
public enum PaymentMethod
{
    CashOnDelivery,
    CardOnDelivery,
    BankTransfer,

    /// <summary>A payment page the business set (<see cref="OrderingSettings.PaymentLinkUrl"/>), sent with the confirmation.</summary>
    PaymentLink,
}

/// <summary>
/// How an organisation takes orders: its one currency, how orders reach the customer and what
/// that costs, what it accepts as payment, and how order references read. One row per
/// organisation; ordering is offered to customers only once it is switched on.
/// </summary>
public sealed class OrderingSettings : ITenantOwned
{
    public Guid TenantId { get; set; }

    /// <summary>Customers may order over WhatsApp (the ordering flow starts on "order", and the Order button).</summary>
    public bool Enabled { get; set; }

    /// <summary>ISO 4217 code of every price and total; fixed once the catalog has products.</summary>
    public string? Currency { get; set; }

    /// <summary>What an order reference starts with ("GTB" in GTB-1042).</summary>
    public string ReferencePrefix { get; set; } = "ORD";

    /// <summary>The number the next order takes; raised by <see cref="Orders.OrderBook"/> under the row's lock, so references never repeat.</summary>
    public int NextOrderNumber { get; set; } = 1001;

    public bool Delivery { get; set; } = true;

    public bool Pickup { get; set; }

    public long DeliveryFeeMinor { get; set; }

    /// <summary>Orders whose items come to at least this are delivered free; null: the fee always applies.</summary>
    public long? FreeDeliveryAboveMinor { get; set; }

    /// <summary>Where the business delivers; empty: anywhere (the customer types the address).</summary>
    public List<string> DeliveryAreas { get; set; } = [];

    public long MinimumOrderMinor { get; set; }

    /// <summary>How long the business needs to prepare an order, told to the customer at checkout.</summary>
    public int LeadTimeMinutes { get; set; }

    public List<PaymentMethod> PaymentMethods { get; set; } = [PaymentMethod.CashOnDelivery];

    public string? PaymentLinkUrl { get; set; }

    /// <summary>What a customer paying by bank transfer needs (account name and number), sent with the confirmation.</summary>
    public string? BankTransferDetails { get; set; }

    /// <summary>The UTILITY template that carries order updates outside the 24-hour window; null: such updates are not sent.</summary>
    public string? UpdateTemplateName { get; set; }

    public string? UpdateTemplateLanguage { get; set; }

    /// <summary>Which order field fills each of the template's variables, as JSON (e.g. {"1": "reference", "2": "status"}); see <see cref="OrderFields"/>.</summary>
    public string UpdateTemplateParameters { get; set; } = "{}";

    public IReadOnlyDictionary<string, string> TemplateParameters() =>
        System.Text.Json.JsonSerializer.Deserialize<Dictionary<string, string>>(UpdateTemplateParameters) ?? [];

    /// <summary>The business's Meta catalog, for product messages; null: the flow shows products as lists.</summary>
    public string? MetaCatalogId { get; set; }

    public DateTimeOffset? UpdatedAt { get; set; }
}

internal sealed class OrderingSettingsConfiguration : IEntityTypeConfiguration<OrderingSettings>
{
    public void Configure(EntityTypeBuilder<OrderingSettings> builder)
    {
        builder.HasKey(s => s.TenantId);
        builder.Property(s => s.Currency).HasMaxLength(3);
        builder.Property(s => s.ReferencePrefix).HasMaxLength(OrderingLimits.Prefix);
        builder.Property(s => s.PaymentLinkUrl).HasMaxLength(Catalog.CatalogLimits.Url);
        builder.Property(s => s.BankTransferDetails).HasMaxLength(OrderingLimits.Text);
        builder.Property(s => s.UpdateTemplateName).HasMaxLength(512);
        builder.Property(s => s.UpdateTemplateLanguage).HasMaxLength(16);
        builder.Property(s => s.UpdateTemplateParameters).HasColumnType("jsonb");
        builder.Property(s => s.MetaCatalogId).HasMaxLength(64);
        builder.PrimitiveCollection(s => s.PaymentMethods).ElementType().HasConversion<string>();
        builder.HasOne<Organization>().WithOne().HasForeignKey<OrderingSettings>(s => s.TenantId).OnDelete(DeleteBehavior.Cascade);
    }
}

/// <summary>How payment methods read to customers and to the team.</summary>
public static class PaymentMethods
{
    public static string Name(PaymentMethod method) => method switch
    {
        PaymentMethod.CashOnDelivery => "Cash on delivery",
        PaymentMethod.CardOnDelivery => "Card on delivery",
        PaymentMethod.BankTransfer => "Bank transfer",
        _ => "Pay online",
    };
}

/// <summary>The order fields an update template's variables can carry.</summary>
public static class OrderFields
{
    public const string Reference = "reference";
    public const string Status = "status";
    public const string Total = "total";
    public const string Time = "time";
    public const string Name = "name";

    public static readonly IReadOnlyList<string> All = [Reference, Status, Total, Time, Name];
}

public static class OrderingLimits
{
    public const int Prefix = 8;
    public const int Text = 500;
    public const int Areas = 50;
    public const int Address = 300;
}
