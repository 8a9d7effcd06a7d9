using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace LeadsPeer.Testing;

/// <summary>
/// Webhook bodies in Meta's wire format (as in Meta's reference and the design notes), and their
/// <c>X-Hub-Signature-256</c>. Built by hand, independently of the product's own code.
/// </summary>
public static class MetaPayloads
{
    public const string AppSecret = "test-app-secret-0123456789";

    /// <summary>The key sandbox webhooks are signed with (never the app secret): accepted only for sandbox numbers.</summary>
    public const string SandboxSigningKey = "test-sandbox-signing-key-0123456789abcdef";
    public const string VerifyToken = "test-verify-token";

    public static string NewWamid() => "wamid.HBgL" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(24));

    public static string Sign(byte[] body, string secret = AppSecret) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));

    public static HttpContent Signed(JsonNode payload, string secret = AppSecret) => Signed(Encoding.UTF8.GetBytes(payload.ToJsonString()), secret);

    public static HttpContent Signed(byte[] body, string? secret = AppSecret)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        if (secret is not null)
        {
            content.Headers.Add("X-Hub-Signature-256", Sign(body, secret));
        }

        return content;
    }

    /// <summary>One customer message (<paramref name="message"/> holds <c>type</c> and its object) from <paramref name="from"/>.</summary>
    public static JsonObject Message(string phoneNumberId, string from, string wamid, JsonObject message, string? name = "Sheena Nelson", long? timestamp = null)
    {
        message["from"] = from;
        message["id"] = wamid;
        message["timestamp"] = (timestamp ?? DateTimeOffset.UtcNow.ToUnixTimeSeconds()).ToString();
        return Envelope(Change(phoneNumberId, new JsonObject
        {
            ["contacts"] = new JsonArray(new JsonObject { ["profile"] = new JsonObject { ["name"] = name }, ["wa_id"] = from }),
            ["messages"] = new JsonArray(message),
        }));
    }

    public static JsonObject Text(string phoneNumberId, string from, string wamid, string body, long? timestamp = null) =>
        Message(phoneNumberId, from, wamid, new JsonObject { ["type"] = "text", ["text"] = new JsonObject { ["body"] = body } }, timestamp: timestamp);

    public static JsonObject Status(string phoneNumberId, string wamid, string status, long timestamp, int? errorCode = null, string? errorTitle = null)
    {
        var entry = new JsonObject
        {
            ["id"] = wamid,
            ["status"] = status,
            ["timestamp"] = timestamp.ToString(),
            ["recipient_id"] = "16505551234",
        };
        if (errorCode is not null)
        {
            entry["errors"] = new JsonArray(new JsonObject { ["code"] = errorCode, ["title"] = errorTitle });
        }

        return Envelope(Change(phoneNumberId, new JsonObject { ["statuses"] = new JsonArray(entry) }));
    }

    /// <summary>A <c>changes[]</c> element of field <c>messages</c>.</summary>
    public static JsonObject Change(string phoneNumberId, JsonObject value)
    {
        value["messaging_product"] = "whatsapp";
        value["metadata"] = new JsonObject { ["display_phone_number"] = "15550783881", ["phone_number_id"] = phoneNumberId };
        return new JsonObject { ["field"] = "messages", ["value"] = value };
    }

    public static JsonObject Envelope(params JsonObject[] changes) => Entries(new JsonObject
    {
        ["id"] = "102290129340398",
        ["changes"] = new JsonArray([.. changes]),
    });

    public static JsonObject Entries(params JsonObject[] entries) => new()
    {
        ["object"] = "whatsapp_business_account",
        ["entry"] = new JsonArray([.. entries]),
    };
}
