using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace LeadsPeer.Testing;

/// <summary>
/// A local OpenAI-compatible server speaking the real wire format: <c>/v1/embeddings</c>
/// (answered in base64 when asked, as the OpenAI SDK asks) and <c>/v1/chat/completions</c>
/// (plain answers or tool calls). Embeddings are deterministic per text (a hash spread over
/// the dimensions), so the same words always land on the same vector. Tests queue the chat
/// answers and read the requests received.
/// </summary>
public sealed class OpenAiStub : IAsyncDisposable
{
    /// <summary>The API key the stub honours, as OpenAI honours only its own: any other is answered 401.</summary>
    public const string ApiKey = "sk-test";

    private readonly WebApplication _app;

    private OpenAiStub(WebApplication app, Uri baseUrl, int dimensions)
    {
        _app = app;
        BaseUrl = baseUrl;
        Dimensions = dimensions;
    }

    /// <summary>The base address including <c>/v1</c>, as <c>AI:Endpoint</c> wants it.</summary>
    public Uri BaseUrl { get; }

    public int Dimensions { get; }

    /// <summary>Chat completion requests received (bodies as posted), in order.</summary>
    public ConcurrentQueue<JsonObject> ChatRequests { get; } = new();

    /// <summary>Texts embedded, in order.</summary>
    public ConcurrentQueue<string> Embedded { get; } = new();

    /// <summary>What the next chat completions answer: text, or a tool call (name, JSON arguments). Empty: "OK".</summary>
    public ConcurrentQueue<(string? Text, string? Tool, string? Arguments)> ChatAnswers { get; } = new();

    /// <summary>Runs when a chat completion request arrives, before it is answered (e.g. to make the customer write again meanwhile).</summary>
    public Func<Task>? BeforeChatAnswer { get; set; }

    public static async Task<OpenAiStub> StartAsync(int dimensions)
    {
        var port = Ports.Free();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var stub = new OpenAiStub(app, new Uri($"http://127.0.0.1:{port}/v1"), dimensions);
        app.MapPost("/v1/embeddings", stub.EmbeddingsAsync);
        app.MapPost("/v1/chat/completions", stub.ChatAsync);
        await app.StartAsync();
        return stub;
    }

    /// <summary>The vector the stub gives a text (unit length).</summary>
    public float[] VectorOf(string text)
    {
        var values = new float[Dimensions];
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(text));
        for (var i = 0; i < Dimensions; i++)
        {
            values[i] = (hash[i % hash.Length] - 127.5f) * (i / hash.Length + 1);
        }

        var norm = MathF.Sqrt(values.Sum(v => v * v));
        return [.. values.Select(v => v / norm)];
    }

    /// <summary>Every text of every chat request (system, user, assistant), joined: what the model was shown.</summary>
    public static string PromptText(JsonObject request) =>
        string.Join("\n", request["messages"]!.AsArray().Select(m => m!["content"] switch
        {
            JsonValue value => value.GetValue<string>(),
            JsonArray parts => string.Concat(parts.Select(p => p!["text"]?.GetValue<string>())),
            _ => "",
        }));

    /// <summary>Requests refused for their API key.</summary>
    public int RefusedKeys => _refusedKeys;

    private int _refusedKeys;

    /// <summary>OpenAI's answer to a request without the right key (its wire format); null when the key is right.</summary>
    private IResult? Unauthorized(HttpRequest request)
    {
        if (request.Headers.Authorization.ToString() == $"Bearer {ApiKey}")
        {
            return null;
        }

        Interlocked.Increment(ref _refusedKeys);
        return Results.Json(new JsonObject
        {
            ["error"] = new JsonObject
            {
                ["message"] = "Incorrect API key provided.",
                ["type"] = "invalid_request_error",
                ["param"] = null,
                ["code"] = "invalid_api_key",
            },
        }, statusCode: StatusCodes.Status401Unauthorized);
    }

    private async Task<IResult> EmbeddingsAsync(HttpRequest request)
    {
        if (Unauthorized(request) is { } refused)
        {
            return refused;
        }

        var body = (await JsonNode.ParseAsync(request.Body))!.AsObject();
        var inputs = body["input"] switch
        {
            JsonArray array => array.Select(i => i!.GetValue<string>()).ToList(),
            JsonValue single => [single.GetValue<string>()],
            _ => [],
        };
        var base64 = body["encoding_format"]?.GetValue<string>() == "base64";
        var data = new JsonArray();
        for (var i = 0; i < inputs.Count; i++)
        {
            Embedded.Enqueue(inputs[i]);
            var vector = VectorOf(inputs[i]);
            JsonNode embedding = base64
                ? JsonValue.Create(Convert.ToBase64String(vector.SelectMany(BitConverter.GetBytes).ToArray()))
                : new JsonArray([.. vector.Select(v => (JsonNode)JsonValue.Create(v))]);
            data.Add(new JsonObject { ["object"] = "embedding", ["index"] = i, ["embedding"] = embedding });
        }

        return Results.Json(new JsonObject
        {
            ["object"] = "list",
            ["data"] = data,
            ["model"] = body["model"]?.GetValue<string>(),
            ["usage"] = new JsonObject { ["prompt_tokens"] = inputs.Sum(t => t.Length / 4), ["total_tokens"] = inputs.Sum(t => t.Length / 4) },
        });
    }

    private async Task<IResult> ChatAsync(HttpRequest request)
    {
        if (Unauthorized(request) is { } refused)
        {
            return refused;
        }

        var body = (await JsonNode.ParseAsync(request.Body))!.AsObject();
        ChatRequests.Enqueue(body);
        if (UnansweredToolMessage(body) is { } invalid)
        {
            Interlocked.Increment(ref _invalidRequests);
            return Results.Json(new JsonObject
            {
                ["error"] = new JsonObject { ["message"] = invalid, ["type"] = "invalid_request_error", ["param"] = "messages", ["code"] = null },
            }, statusCode: StatusCodes.Status400BadRequest);
        }

        if (BeforeChatAnswer is { } before)
        {
            await before();
        }

        var (text, tool, arguments) = ChatAnswers.TryDequeue(out var next) ? next : ("OK", null, null);
        var message = new JsonObject { ["role"] = "assistant", ["content"] = text };
        if (tool is not null)
        {
            message["tool_calls"] = new JsonArray(new JsonObject
            {
                ["id"] = $"call_{Guid.NewGuid():N}",
                ["type"] = "function",
                ["function"] = new JsonObject { ["name"] = tool, ["arguments"] = arguments ?? "{}" },
            });
        }

        return Results.Json(new JsonObject
        {
            ["id"] = $"chatcmpl-{Guid.NewGuid():N}",
            ["object"] = "chat.completion",
            ["created"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
            ["model"] = body["model"]?.GetValue<string>(),
            ["choices"] = new JsonArray(new JsonObject
            {
                ["index"] = 0,
                ["message"] = message,
                ["finish_reason"] = tool is null ? "stop" : "tool_calls",
            }),
            ["usage"] = new JsonObject { ["prompt_tokens"] = 10, ["completion_tokens"] = 10, ["total_tokens"] = 20 },
        });
    }

    /// <summary>Requests OpenAI would refuse for their messages (a tool result that answers no call).</summary>
    public int InvalidRequests => _invalidRequests;

    private int _invalidRequests;

    /// <summary>
    /// As OpenAI checks: a <c>tool</c> message must answer a <c>tool_calls</c> entry of an
    /// assistant message before it, by that call's id; null when every one does.
    /// </summary>
    private static string? UnansweredToolMessage(JsonObject body)
    {
        var called = new HashSet<string>();
        foreach (var message in body["messages"]?.AsArray().OfType<JsonObject>() ?? [])
        {
            foreach (var call in message["tool_calls"]?.AsArray().OfType<JsonObject>() ?? [])
            {
                called.Add(call["id"]?.GetValue<string>() ?? "");
            }

            if (message["role"]?.GetValue<string>() == "tool" && !called.Contains(message["tool_call_id"]?.GetValue<string>() ?? ""))
            {
                return "Invalid parameter: messages with role 'tool' must be a response to a preceeding message with 'tool_calls'.";
            }
        }

        return null;
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
