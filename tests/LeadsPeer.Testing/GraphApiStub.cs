using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace LeadsPeer.Testing;

/// <summary>
/// A local HTTP server that answers the Graph API calls of Embedded Signup in Meta's wire format
/// (paths, query strings, JSON bodies and error envelopes). Tests set what it grants and where it
/// fails, and read which calls it received. Meta itself is never called.
/// </summary>
public sealed class GraphApiStub : IAsyncDisposable
{
    public const string AppId = "1234567890";
    public const string AppSecret = "stub-app-secret";
    public const string Version = "v23.0";

    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, string> _codes = new();

    // Business tokens Graph would honour, and the phone number each is limited to (null: any).
    private readonly ConcurrentDictionary<string, string?> _tokens = new();

    private GraphApiStub(WebApplication app, Uri baseUrl)
    {
        _app = app;
        BaseUrl = baseUrl;
    }

    public Uri BaseUrl { get; }

    public ConcurrentQueue<string> Calls { get; } = new();

    public List<string> GrantedScopes { get; } = ["whatsapp_business_management", "whatsapp_business_messaging"];

    /// <summary>WABA ids the granted token covers.</summary>
    public List<string> TargetIds { get; } = [];

    /// <summary>Phone numbers per WABA id.</summary>
    public ConcurrentDictionary<string, List<(string Id, string Display, string Name)>> PhoneNumbers { get; } = new();

    /// <summary>Messages Graph accepted (bodies as posted), in order.</summary>
    public ConcurrentQueue<JsonObject> Sent { get; } = new();

    /// <summary>When each accepted message arrived, in order.</summary>
    public ConcurrentQueue<DateTimeOffset> SentTimes { get; } = new();

    /// <summary>Every POST of a message, accepted or not.</summary>
    public int SendAttempts => _sendAttempts;

    /// <summary>Mark-as-read calls (bodies as posted).</summary>
    public ConcurrentQueue<JsonObject> ReadMarks { get; } = new();

    /// <summary>Errors (HTTP status, Graph code) answered to the next message POSTs, one each, before sends succeed again.</summary>
    public ConcurrentQueue<(int Status, int Code)> SendFailures { get; } = new();

    /// <summary>Runs after a send is accepted and before its answer leaves, with the body, the wamid it will return and the request's abort token.</summary>
    public Func<JsonObject, string, CancellationToken, Task>? BeforeSendAnswer { get; set; }

    /// <summary>Runs when a mark-as-read call arrives, before it is answered, with the request's abort token.</summary>
    public Func<CancellationToken, Task>? BeforeReadAnswer { get; set; }

    private int _sendAttempts;

    /// <summary>Inbound media files by media id, served like Graph's media endpoint and its short-lived download URL.</summary>
    public ConcurrentDictionary<string, (byte[] Content, string MimeType)> Media { get; } = new();

    /// <summary>Media lookups received (media ids).</summary>
    public ConcurrentQueue<string> MediaRequests { get; } = new();

    /// <summary>Media downloads received (media ids), whatever host name the URL used.</summary>
    public ConcurrentQueue<string> MediaDownloads { get; } = new();

    /// <summary>When set, the media URL names this host instead of the stub's own (the same server: a host the client must not trust).</summary>
    public string? MediaUrlHost { get; set; }

    /// <summary>The message templates of each WABA, as Graph lists them (<c>data</c> objects).</summary>
    public ConcurrentDictionary<string, List<JsonObject>> Templates { get; } = new();

    /// <summary>Template create calls received (bodies as posted).</summary>
    public ConcurrentQueue<JsonObject> CreatedTemplates { get; } = new();

    /// <summary>When set, template calls fail with this (HTTP status, Graph code).</summary>
    public (int Status, int Code)? TemplateFailure { get; set; }

    /// <summary>When set, <c>/register</c> fails with this Graph error code.</summary>
    public int? RegisterErrorCode { get; set; }

    public static async Task<GraphApiStub> StartAsync()
    {
        var port = ServerProcess.FreePort();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var stub = new GraphApiStub(app, new Uri($"http://127.0.0.1:{port}/"));
        stub.Map(app);
        await app.StartAsync();
        return stub;
    }

    /// <summary>
    /// A business token Graph honours from now on, for <paramref name="phoneNumberId"/> only when
    /// given: calls with any other bearer (none, a ciphertext, another number's token) are refused
    /// with Graph's 190, as Meta refuses them.
    /// </summary>
    public void AcceptToken(string token, string? phoneNumberId = null) => _tokens[token] = phoneNumberId;

    /// <summary>Calls refused because their bearer token was not one Graph honours.</summary>
    public ConcurrentQueue<string> RefusedTokens { get; } = new();

    /// <summary>A one-time Embedded Signup code that exchanges for <paramref name="token"/>.</summary>
    public string IssueCode(string token)
    {
        AcceptToken(token);
        var code = "AQ" + Guid.NewGuid().ToString("N");
        _codes[code] = token;
        return code;
    }

    private void Map(WebApplication app)
    {
        MapTemplates(app);

        app.MapGet($"/{Version}/oauth/access_token", (HttpRequest request) =>
        {
            Calls.Enqueue("exchange");
            if (request.Query["client_id"] != AppId || request.Query["client_secret"] != AppSecret)
            {
                return Error(400, 101, null, "Error validating application. Invalid application ID.");
            }

            // Codes are single use, as at Meta.
            return _codes.TryRemove(request.Query["code"].ToString(), out var token)
                ? Results.Json(new JsonObject { ["access_token"] = token, ["token_type"] = "bearer" })
                : Error(400, 100, 36007, "Invalid verification code format.");
        });

        app.MapGet($"/{Version}/debug_token", (HttpRequest request) =>
        {
            Calls.Enqueue("debug_token");
            if (request.Headers.Authorization != $"Bearer {AppId}|{AppSecret}")
            {
                return Error(400, 190, null, "Invalid OAuth access token - Cannot parse access token");
            }

            var scopes = new JsonArray([.. GrantedScopes.Select(s => JsonValue.Create(s))]);
            var granular = new JsonArray([.. GrantedScopes.Select(s => new JsonObject
            {
                ["scope"] = s,
                ["target_ids"] = new JsonArray([.. TargetIds.Select(t => JsonValue.Create(t))]),
            })]);
            return Results.Json(new JsonObject
            {
                ["data"] = new JsonObject
                {
                    ["app_id"] = AppId,
                    ["type"] = "SYSTEM_USER",
                    ["is_valid"] = true,
                    ["scopes"] = scopes,
                    ["granular_scopes"] = granular,
                },
            });
        });

        app.MapGet($"/{Version}/{{wabaId}}/phone_numbers", (string wabaId, HttpRequest request) =>
        {
            Calls.Enqueue($"phone_numbers:{wabaId}");
            if (Unauthorized(request) is { } refused)
            {
                return refused;
            }

            var numbers = PhoneNumbers.GetValueOrDefault(wabaId) ?? [];
            return Results.Json(new JsonObject
            {
                ["data"] = new JsonArray([.. numbers.Select(n => new JsonObject
                {
                    ["id"] = n.Id,
                    ["display_phone_number"] = n.Display,
                    ["verified_name"] = n.Name,
                    ["quality_rating"] = "GREEN",
                })]),
            });
        });

        app.MapPost($"/{Version}/{{wabaId}}/subscribed_apps", (string wabaId, HttpRequest request) =>
        {
            Calls.Enqueue($"subscribe:{wabaId}");
            return Unauthorized(request) ?? Results.Json(new JsonObject { ["success"] = true });
        });

        app.MapDelete($"/{Version}/{{wabaId}}/subscribed_apps", (string wabaId, HttpRequest request) =>
        {
            Calls.Enqueue($"unsubscribe:{wabaId}");
            return Unauthorized(request) ?? Results.Json(new JsonObject { ["success"] = true });
        });

        app.MapPost($"/{Version}/{{phoneNumberId}}/messages", MessagesAsync);

        app.MapGet($"/{Version}/{{mediaId}}", (string mediaId, HttpRequest request) =>
        {
            MediaRequests.Enqueue(mediaId);
            if (Unauthorized(request) is { } refused)
            {
                return refused;
            }

            return Media.TryGetValue(mediaId, out var file)
                ? Results.Json(new JsonObject
                {
                    ["messaging_product"] = "whatsapp",
                    ["url"] = new UriBuilder(new Uri(BaseUrl, $"media-download/{mediaId}")) { Host = MediaUrlHost ?? BaseUrl.Host }.Uri.ToString(),
                    ["mime_type"] = file.MimeType,
                    ["sha256"] = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(file.Content)),
                    ["file_size"] = file.Content.Length,
                    ["id"] = mediaId,
                })
                : Error(404, 100, 33, "Unsupported get request.");
        });

        app.MapGet("/media-download/{mediaId}", (string mediaId, HttpRequest request) =>
        {
            MediaDownloads.Enqueue(mediaId);
            return Unauthorized(request) is null && Media.TryGetValue(mediaId, out var file)
                ? Results.Bytes(file.Content, file.MimeType)
                : Results.StatusCode(401);
        });

        app.MapPost($"/{Version}/{{phoneNumberId}}/register", async (string phoneNumberId, HttpRequest request) =>
        {
            var body = JsonNode.Parse(await new StreamReader(request.Body).ReadToEndAsync());
            var pin = body?["pin"]?.GetValue<string>() ?? "";
            Calls.Enqueue($"register:{phoneNumberId}:{(pin.Length == 6 && pin.All(char.IsAsciiDigit) ? "pin-ok" : "pin-bad")}");
            if (Unauthorized(request, phoneNumberId) is { } refused)
            {
                return refused;
            }

            return RegisterErrorCode is { } code
                ? Error(400, code, null, "Two step verification PIN Mismatch")
                : Results.Json(new JsonObject { ["success"] = true });
        });
    }

    /// <summary><c>/{waba_id}/message_templates</c>: listed in pages (<c>limit</c>, <c>after</c> cursor, <c>paging.next</c> while more follow), created, deleted by name.</summary>
    private void MapTemplates(WebApplication app)
    {
        var path = $"/{Version}/{{wabaId}}/message_templates";
        app.MapGet(path, (string wabaId, int? limit, string? after, string? fields, HttpRequest request) =>
        {
            Calls.Enqueue($"templates:{wabaId}:{after ?? "first"}");
            if ((Unauthorized(request) ?? TemplateRefusal()) is { } refused)
            {
                return refused;
            }

            var all = Templates.GetValueOrDefault(wabaId) ?? [];
            var offset = after is null ? 0 : int.Parse(System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(after)));
            var size = Math.Clamp(limit ?? 25, 1, 100);
            var page = all.Skip(offset).Take(size).ToList();
            var cursor = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes((offset + page.Count).ToString()));
            var paging = new JsonObject { ["cursors"] = new JsonObject { ["before"] = "MAZDZD", ["after"] = cursor } };
            if (offset + page.Count < all.Count)
            {
                paging["next"] = new Uri(BaseUrl, $"{Version}/{wabaId}/message_templates?fields={fields}&limit={size}&after={cursor}").ToString();
            }

            return Results.Json(new JsonObject { ["data"] = new JsonArray([.. page.Select(t => (JsonNode)t.DeepClone())]), ["paging"] = paging });
        });

        app.MapPost(path, async (string wabaId, HttpRequest request) =>
        {
            if ((Unauthorized(request) ?? TemplateRefusal()) is { } refused)
            {
                return refused;
            }

            var body = (JsonObject)JsonNode.Parse(await new StreamReader(request.Body).ReadToEndAsync())!;
            CreatedTemplates.Enqueue(body);
            var id = Random.Shared.NextInt64(100_000_000_000_000, 999_999_999_999_999).ToString();
            var stored = (JsonObject)body.DeepClone();
            stored["id"] = id;
            stored["status"] = "PENDING";
            Templates.GetOrAdd(wabaId, _ => []).Add(stored);
            return Results.Json(new JsonObject { ["id"] = id, ["status"] = "PENDING", ["category"] = body["category"]?.GetValue<string>() });
        });

        app.MapDelete(path, (string wabaId, string? name, HttpRequest request) =>
        {
            Calls.Enqueue($"delete-template:{wabaId}:{name}");
            if ((Unauthorized(request) ?? TemplateRefusal()) is { } refused)
            {
                return refused;
            }

            return (Templates.GetValueOrDefault(wabaId)?.RemoveAll(t => t["name"]?.GetValue<string>() == name) ?? 0) > 0
                ? Results.Json(new JsonObject { ["success"] = true })
                : Error(400, 100, 2593002, $"Message template \"{name}\" not found");
        });
    }

    private IResult? TemplateRefusal() =>
        TemplateFailure is { } failure ? Error(failure.Status, failure.Code, null, $"Stubbed Graph error {failure.Code}") : null;

    private async Task<IResult> MessagesAsync(string phoneNumberId, HttpRequest request)
    {
        if (Unauthorized(request, phoneNumberId) is { } refused)
        {
            return refused;
        }

        var body = (JsonObject)JsonNode.Parse(await new StreamReader(request.Body).ReadToEndAsync())!;
        if (body["status"]?.GetValue<string>() == "read")
        {
            ReadMarks.Enqueue(body);
            if (BeforeReadAnswer is { } readHook)
            {
                await readHook(request.HttpContext.RequestAborted);
            }

            return Results.Json(new JsonObject { ["success"] = true });
        }

        Interlocked.Increment(ref _sendAttempts);
        if (SendFailures.TryDequeue(out var failure))
        {
            return Error(failure.Status, failure.Code, null, $"Stubbed Graph error {failure.Code}");
        }

        var wamid = "wamid.STUB" + Guid.NewGuid().ToString("N");
        SentTimes.Enqueue(DateTimeOffset.UtcNow);
        Sent.Enqueue(body);
        if (BeforeSendAnswer is { } hook)
        {
            await hook(body, wamid, request.HttpContext.RequestAborted);
        }

        return Results.Json(new JsonObject
        {
            ["messaging_product"] = "whatsapp",
            ["contacts"] = new JsonArray(new JsonObject { ["input"] = body["to"]?.GetValue<string>(), ["wa_id"] = body["to"]?.GetValue<string>() }),
            ["messages"] = new JsonArray(new JsonObject { ["id"] = wamid }),
        });
    }

    /// <summary>Graph's answer to a call whose bearer token it does not honour (for that number); null when it does.</summary>
    private IResult? Unauthorized(HttpRequest request, string? phoneNumberId = null)
    {
        var header = request.Headers.Authorization.ToString();
        var token = header.StartsWith("Bearer ", StringComparison.Ordinal) ? header["Bearer ".Length..] : "";
        if (_tokens.TryGetValue(token, out var boundTo) && (boundTo is null || phoneNumberId is null || boundTo == phoneNumberId))
        {
            return null;
        }

        RefusedTokens.Enqueue(request.Path);
        return Error(401, 190, null, "Invalid OAuth access token - Cannot parse access token");
    }

    private static IResult Error(int status, int code, int? subcode, string message) => Results.Json(
        new JsonObject
        {
            ["error"] = new JsonObject
            {
                ["message"] = message,
                ["type"] = "OAuthException",
                ["code"] = code,
                ["error_subcode"] = subcode,
                ["fbtrace_id"] = "AbCdEfGhIjK",
            },
        },
        statusCode: status);

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
