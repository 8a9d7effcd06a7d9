using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;

namespace LeadsPeer.Core.WhatsApp;

/// <summary>A Graph API error as Meta reports it: <c>{"error":{"message","type","code","error_subcode"}}</c>.</summary>
public sealed class GraphApiException(HttpStatusCode status, int? code, int? subcode, string graphMessage)
    : Exception($"Graph API error {code}{(subcode is null ? "" : $"/{subcode}")} (HTTP {(int)status}): {graphMessage}")
{
    public HttpStatusCode Status { get; } = status;
    public int? Code { get; } = code;
    public int? Subcode { get; } = subcode;
    public string GraphMessage { get; } = graphMessage;

    /// <summary>Meta no longer accepts the token (expired, revoked, password changed).</summary>
    public bool IsInvalidToken => Code is 190;
}

public sealed record DebugTokenResult(bool IsValid, string? AppId, IReadOnlyList<string> Scopes, IReadOnlyList<GranularScope> GranularScopes);

public sealed record GranularScope(string Scope, IReadOnlyList<string> TargetIds);

public sealed record MediaInfo(string Url, string? MimeType, string? Sha256, long? FileSize);

public sealed record PhoneNumberInfo(string Id, string? DisplayPhoneNumber, string? VerifiedName, string? QualityRating);

/// <summary>
/// The calls Leads Peer makes to Meta's Graph API for a WhatsApp Business Account, on one
/// pinned API version. The base address is chosen per connection: Meta for real numbers, the
/// simulator for sandbox numbers. Tokens are passed in per call and never logged.
/// </summary>
public sealed class GraphApiClient(HttpClient http, IOptions<WhatsAppOptions> options)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
    };

    private WhatsAppOptions Settings => options.Value;

    public Uri BaseUrlFor(WhatsAppConnectionKind kind) =>
        kind == WhatsAppConnectionKind.Sandbox ? Settings.SimulatorBaseUrl : Settings.GraphApiBaseUrl;

    /// <summary>Trades Embedded Signup's short-lived code for the business's access token.</summary>
    public async Task<string> ExchangeCodeAsync(string code, CancellationToken cancellationToken)
    {
        var query = $"oauth/access_token?client_id={Uri.EscapeDataString(Settings.AppId ?? "")}" +
                    $"&client_secret={Uri.EscapeDataString(Settings.AppSecret ?? "")}&code={Uri.EscapeDataString(code)}";
        var response = await SendAsync<AccessTokenResponse>(HttpMethod.Get, Settings.GraphApiBaseUrl, query, token: null, body: null, cancellationToken);
        return response.AccessToken ?? throw new GraphApiException(HttpStatusCode.OK, null, null, "No access token in the answer.");
    }

    /// <summary>What the token may do, asked with the app's own token (<c>app_id|app_secret</c>).</summary>
    public async Task<DebugTokenResult> DebugTokenAsync(string inputToken, CancellationToken cancellationToken)
    {
        var response = await SendAsync<DebugTokenEnvelope>(HttpMethod.Get, Settings.GraphApiBaseUrl,
            $"debug_token?input_token={Uri.EscapeDataString(inputToken)}", $"{Settings.AppId}|{Settings.AppSecret}", null, cancellationToken);
        var data = response.Data ?? new DebugTokenData();
        return new DebugTokenResult(
            data.IsValid,
            data.AppId,
            data.Scopes ?? [],
            [.. (data.GranularScopes ?? []).Select(g => new GranularScope(g.Scope ?? "", g.TargetIds ?? []))]);
    }

    public async Task<IReadOnlyList<PhoneNumberInfo>> GetPhoneNumbersAsync(string wabaId, string token, CancellationToken cancellationToken)
    {
        var response = await SendAsync<PhoneNumbersEnvelope>(HttpMethod.Get, Settings.GraphApiBaseUrl,
            $"{Uri.EscapeDataString(wabaId)}/phone_numbers", token, null, cancellationToken);
        return [.. (response.Data ?? []).Select(p => new PhoneNumberInfo(p.Id ?? "", p.DisplayPhoneNumber, p.VerifiedName, p.QualityRating))];
    }

    public Task SubscribeAppAsync(string wabaId, string token, CancellationToken cancellationToken) =>
        SendAsync<SuccessResponse>(HttpMethod.Post, Settings.GraphApiBaseUrl, $"{Uri.EscapeDataString(wabaId)}/subscribed_apps", token, null, cancellationToken);

    public Task UnsubscribeAppAsync(string wabaId, string token, CancellationToken cancellationToken) =>
        SendAsync<SuccessResponse>(HttpMethod.Delete, Settings.GraphApiBaseUrl, $"{Uri.EscapeDataString(wabaId)}/subscribed_apps", token, null, cancellationToken);

    /// <summary>Registers the number for the Cloud API with a two-step verification PIN (Meta allows 10 tries per 72 hours).</summary>
    public Task RegisterAsync(string phoneNumberId, string pin, string token, CancellationToken cancellationToken) =>
        SendAsync<SuccessResponse>(HttpMethod.Post, Settings.GraphApiBaseUrl, $"{Uri.EscapeDataString(phoneNumberId)}/register", token,
            new { messaging_product = "whatsapp", pin }, cancellationToken);

    /// <summary>
    /// Posts one message (<paramref name="message"/> is Graph's body without <c>to</c>) and returns
    /// its wamid. Never retried here: Graph has no idempotency key, so the caller decides.
    /// </summary>
    public async Task<string> SendMessageAsync(WhatsAppConnectionKind kind, string phoneNumberId, string token, string to, JsonObject message, CancellationToken cancellationToken)
    {
        var body = new JsonObject
        {
            ["messaging_product"] = "whatsapp",
            ["recipient_type"] = "individual",
            ["to"] = to,
        };
        foreach (var (name, value) in message)
        {
            body[name] = value?.DeepClone();
        }

        var response = await SendAsync<SendMessageResponse>(HttpMethod.Post, BaseUrlFor(kind),
            $"{Uri.EscapeDataString(phoneNumberId)}/messages", token, body, cancellationToken);
        return response.Messages?.FirstOrDefault()?.Id
            ?? throw new GraphApiException(HttpStatusCode.OK, null, null, "No message id in the answer.");
    }

    /// <summary>The fields of a template the product keeps.</summary>
    public const string TemplateFields = "id,name,status,category,language,components,quality_score,rejected_reason,parameter_format";

    /// <summary>One page of the WABA's templates (Meta's <c>data</c> objects) and the cursor of the next, null on the last.</summary>
    public async Task<(IReadOnlyList<JsonObject> Templates, string? Next)> ListTemplatesAsync(
        WhatsAppConnectionKind kind, string wabaId, string token, string? after, CancellationToken cancellationToken)
    {
        var query = $"{Uri.EscapeDataString(wabaId)}/message_templates?fields={TemplateFields}&limit=100"
                    + (after is null ? "" : $"&after={Uri.EscapeDataString(after)}");
        var page = await SendAsync<JsonObject>(HttpMethod.Get, BaseUrlFor(kind), query, token, null, cancellationToken);
        var templates = (page["data"] as JsonArray ?? []).OfType<JsonObject>().ToList();
        // Meta gives a next link only while more pages follow; the cursor is how to ask for it.
        var next = page["paging"]?["next"] is not null ? page["paging"]?["cursors"]?["after"]?.GetValue<string>() : null;
        return (templates, next);
    }

    /// <summary>Submits a template for Meta's review; Meta answers its id, status (usually PENDING) and category.</summary>
    public Task<JsonObject> CreateTemplateAsync(WhatsAppConnectionKind kind, string wabaId, string token, JsonObject template, CancellationToken cancellationToken) =>
        SendAsync<JsonObject>(HttpMethod.Post, BaseUrlFor(kind), $"{Uri.EscapeDataString(wabaId)}/message_templates", token, template, cancellationToken);

    /// <summary>Deletes every language of the template named <paramref name="name"/>.</summary>
    public Task DeleteTemplateAsync(WhatsAppConnectionKind kind, string wabaId, string token, string name, CancellationToken cancellationToken) =>
        SendAsync<SuccessResponse>(HttpMethod.Delete, BaseUrlFor(kind), $"{Uri.EscapeDataString(wabaId)}/message_templates?name={Uri.EscapeDataString(name)}", token, null, cancellationToken);

    /// <summary>Marks a customer's message read (blue ticks) and shows the typing indicator until the reply or 25 s.</summary>
    public Task MarkReadAsync(WhatsAppConnectionKind kind, string phoneNumberId, string token, string waMessageId, bool typing, CancellationToken cancellationToken)
    {
        var body = new JsonObject
        {
            ["messaging_product"] = "whatsapp",
            ["status"] = "read",
            ["message_id"] = waMessageId,
        };
        if (typing)
        {
            body["typing_indicator"] = new JsonObject { ["type"] = "text" };
        }

        return SendAsync<SuccessResponse>(HttpMethod.Post, BaseUrlFor(kind), $"{Uri.EscapeDataString(phoneNumberId)}/messages", token, body, cancellationToken);
    }

    /// <summary>Where an inbound media file can be downloaded (for about five minutes), and what it is.</summary>
    public async Task<MediaInfo> GetMediaAsync(WhatsAppConnectionKind kind, string mediaId, string token, CancellationToken cancellationToken)
    {
        var response = await SendAsync<MediaResponse>(HttpMethod.Get, BaseUrlFor(kind), Uri.EscapeDataString(mediaId), token, null, cancellationToken);
        return new MediaInfo(
            response.Url ?? throw new GraphApiException(HttpStatusCode.OK, null, null, "No media URL in the answer."),
            response.MimeType, response.Sha256, response.FileSize);
    }

    /// <summary>Downloads a media file from the URL <see cref="GetMediaAsync"/> gave; it needs the same bearer token. Null when larger than <paramref name="maxBytes"/>.</summary>
    /// <summary>
    /// Whether a media URL Graph returned may receive the number's token: Meta's media hosts over
    /// HTTPS (<c>lookaside.fbsbx.com</c> and the like), or the configured Graph and simulator
    /// addresses themselves. A URL elsewhere would hand the token to whoever is there.
    /// </summary>
    public bool IsMediaUrlAllowed(Uri url) =>
        url.IsAbsoluteUri
        && ((url.Scheme == Uri.UriSchemeHttps && MetaMediaDomains.Any(d => url.Host.EndsWith(d, StringComparison.OrdinalIgnoreCase)))
            || SameAuthority(url, Settings.GraphApiBaseUrl) || SameAuthority(url, Settings.SimulatorBaseUrl));

    /// <summary>Where Meta serves media files from (each with its leading dot: a suffix of the host, never a look-alike).</summary>
    private static readonly string[] MetaMediaDomains = [".fbsbx.com", ".fbcdn.net", ".whatsapp.net"];

    private static bool SameAuthority(Uri url, Uri configured) =>
        string.Equals(url.Scheme, configured.Scheme, StringComparison.OrdinalIgnoreCase)
        && string.Equals(url.Host, configured.Host, StringComparison.OrdinalIgnoreCase) && url.Port == configured.Port;

    public async Task<byte[]?> DownloadMediaAsync(Uri url, string token, long maxBytes, CancellationToken cancellationToken)
    {
        if (!IsMediaUrlAllowed(url))
        {
            throw new InvalidOperationException("The media URL is not on Meta's media hosts; the number's token is not sent there.");
        }

        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Authorization = new("Bearer", token);
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new GraphApiException(response.StatusCode, null, null, "The media download was refused.");
        }

        if (response.Content.Headers.ContentLength > maxBytes)
        {
            return null;
        }

        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > maxBytes)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    private async Task<T> SendAsync<T>(HttpMethod method, Uri baseUrl, string path, string? token, object? body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, new Uri(baseUrl, $"{Settings.GraphApiVersion}/{path}"));
        if (token is not null)
        {
            request.Headers.Authorization = new("Bearer", token);
        }

        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        using var response = await http.SendAsync(request, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            var error = TryRead<ErrorEnvelope>(text)?.Error;
            throw new GraphApiException(response.StatusCode, error?.Code, error?.ErrorSubcode, error?.Message ?? "No error details.");
        }

        return TryRead<T>(text) ?? throw new GraphApiException(response.StatusCode, null, null, "The answer was not the expected JSON.");
    }

    private static T? TryRead<T>(string text)
    {
        try
        {
            return JsonSerializer.Deserialize<T>(text, Json);
        }
        catch (JsonException)
        {
            return default;
        }
    }

    private sealed record AccessTokenResponse(string? AccessToken, string? TokenType);

    private sealed record SuccessResponse(bool Success);

    private sealed record MediaResponse(string? Url, string? MimeType, string? Sha256, long? FileSize);

    private sealed record SendMessageResponse(List<SentMessage>? Messages);

    private sealed record SentMessage(string? Id);

    private sealed record ErrorEnvelope(GraphError? Error);

    private sealed record GraphError(string? Message, string? Type, int? Code, int? ErrorSubcode);

    private sealed record DebugTokenEnvelope(DebugTokenData? Data);

    private sealed class DebugTokenData
    {
        public string? AppId { get; init; }
        public bool IsValid { get; init; }
        public List<string>? Scopes { get; init; }
        public List<GranularScopeData>? GranularScopes { get; init; }
    }

    private sealed record GranularScopeData(string? Scope, List<string>? TargetIds);

    private sealed record PhoneNumbersEnvelope(List<PhoneNumberData>? Data);

    private sealed record PhoneNumberData(string? Id, string? DisplayPhoneNumber, string? VerifiedName, string? QualityRating);
}
