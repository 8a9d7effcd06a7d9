using System.Security.Cryptography;
using System.Text.Json.Nodes;

namespace LeadsPeer.Core.WhatsApp.Sandbox;

/// <summary>Webhook bodies exactly as Meta writes them, for what happens on a sandbox number.</summary>
public static class SimulatedWebhooks
{
    /// <summary>A wamid in Meta's shape (base64 after <c>wamid.</c>), unique for every simulated message.</summary>
    public static string NewWamid() => "wamid." + Convert.ToBase64String(RandomNumberGenerator.GetBytes(30));

    public static JsonObject CustomerText(WhatsAppConnection connection, string customerWaId, string? customerName, string wamid, string text, DateTimeOffset at) =>
        FromCustomer(connection, customerWaId, customerName, wamid, at, "text", new JsonObject { ["body"] = text });

    /// <summary>
    /// A customer's tap on a reply button or a list row of the message <paramref name="answeredWamid"/>,
    /// as Meta delivers it: <c>interactive.button_reply</c> or <c>list_reply</c>, with <c>context</c>.
    /// </summary>
    public static JsonObject CustomerTap(WhatsAppConnection connection, string customerWaId, string? customerName, string wamid,
        string answeredWamid, bool fromList, string choiceId, string choiceTitle, DateTimeOffset at)
    {
        var reply = fromList ? "list_reply" : "button_reply";
        return FromCustomer(connection, customerWaId, customerName, wamid, at, "interactive", new JsonObject
        {
            ["type"] = reply,
            [reply] = new JsonObject { ["id"] = choiceId, ["title"] = choiceTitle },
        }, answeredWamid);
    }

    /// <summary>
    /// A cart the customer sends from the business's catalog, as Meta delivers it: type <c>order</c>
    /// with the catalog's id and each item's SKU, quantity and the price the catalog showed
    /// (a decimal in the currency's units).
    /// </summary>
    public static JsonObject CustomerOrder(WhatsAppConnection connection, string customerWaId, string? customerName, string wamid,
        string catalogId, IEnumerable<(string Sku, int Quantity, decimal Price, string Currency)> items, DateTimeOffset at) =>
        FromCustomer(connection, customerWaId, customerName, wamid, at, "order", new JsonObject
        {
            ["catalog_id"] = catalogId,
            ["text"] = "",
            ["product_items"] = new JsonArray([.. items.Select(i => (JsonNode)new JsonObject
            {
                ["product_retailer_id"] = i.Sku, ["quantity"] = i.Quantity, ["item_price"] = i.Price, ["currency"] = i.Currency,
            })]),
        });

    /// <summary>A customer's tap on a template's quick-reply button, as Meta delivers it: type <c>button</c> with its payload and text, and <c>context</c>.</summary>
    public static JsonObject CustomerTemplateButton(WhatsAppConnection connection, string customerWaId, string? customerName, string wamid,
        string answeredWamid, string payload, string text, DateTimeOffset at) =>
        FromCustomer(connection, customerWaId, customerName, wamid, at, "button", new JsonObject { ["payload"] = payload, ["text"] = text }, answeredWamid);

    /// <summary>
    /// One message from the customer as Meta writes it: the contact, and the message of
    /// <paramref name="type"/> with its <paramref name="content"/> under the type's own key
    /// (answering <paramref name="answeredWamid"/> when it is a reply to the business's message).
    /// </summary>
    private static JsonObject FromCustomer(WhatsAppConnection connection, string customerWaId, string? customerName, string wamid, DateTimeOffset at,
        string type, JsonObject content, string? answeredWamid = null)
    {
        var message = new JsonObject();
        if (answeredWamid is not null)
        {
            message["context"] = new JsonObject { ["from"] = connection.DisplayPhoneNumber, ["id"] = answeredWamid };
        }

        message["from"] = customerWaId;
        message["id"] = wamid;
        message["timestamp"] = at.ToUnixTimeSeconds().ToString();
        message["type"] = type;
        message[type] = content;
        return Envelope(connection, new JsonObject
        {
            ["contacts"] = new JsonArray(new JsonObject
            {
                ["profile"] = new JsonObject { ["name"] = customerName },
                ["wa_id"] = customerWaId,
            }),
            ["messages"] = new JsonArray(message),
        });
    }

    /// <summary>Meta's review decision on a template, for the WABA (the entry's id): <c>message_template_status_update</c>.</summary>
    public static JsonObject TemplateStatus(string wabaId, SandboxTemplate template, string status, string? reason, DateTimeOffset at) => new()
    {
        ["object"] = "whatsapp_business_account",
        ["entry"] = new JsonArray(new JsonObject
        {
            ["id"] = wabaId,
            ["time"] = at.ToUnixTimeSeconds(),
            ["changes"] = new JsonArray(new JsonObject
            {
                ["field"] = "message_template_status_update",
                ["value"] = new JsonObject
                {
                    ["event"] = status,
                    ["message_template_id"] = long.Parse(template.MetaId, System.Globalization.CultureInfo.InvariantCulture),
                    ["message_template_name"] = template.Name,
                    ["message_template_language"] = template.Language,
                    ["reason"] = reason ?? "NONE",
                },
            }),
        }),
    };

    public static JsonObject Status(WhatsAppConnection connection, string wamid, string recipient, string status, DateTimeOffset at) =>
        Envelope(connection, new JsonObject
        {
            ["statuses"] = new JsonArray(new JsonObject
            {
                ["id"] = wamid,
                ["status"] = status,
                ["timestamp"] = at.ToUnixTimeSeconds().ToString(),
                ["recipient_id"] = recipient,
            }),
        });

    private static JsonObject Envelope(WhatsAppConnection connection, JsonObject value)
    {
        value["messaging_product"] = "whatsapp";
        value["metadata"] = new JsonObject
        {
            ["display_phone_number"] = connection.DisplayPhoneNumber,
            ["phone_number_id"] = connection.PhoneNumberId,
        };
        return new JsonObject
        {
            ["object"] = "whatsapp_business_account",
            ["entry"] = new JsonArray(new JsonObject
            {
                ["id"] = connection.WabaId,
                ["changes"] = new JsonArray(new JsonObject { ["field"] = "messages", ["value"] = value }),
            }),
        };
    }
}
