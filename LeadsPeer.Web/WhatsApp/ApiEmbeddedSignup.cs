using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using LeadsPeer.Core;
using LeadsPeer.Core.Accounts;
using LeadsPeer.Core.WhatsApp;
using Microsoft.AspNetCore.Identity;

namespace LeadsPeer.Web.WhatsApp;

public sealed class ApiOptions
{
    public const string Section = "Api";

    /// <summary>The Api's address (the AppHost sets it); the Api's development address when empty.</summary>
    public Uri? BaseUrl { get; set; }
}

/// <summary>
/// Embedded Signup as the dashboard runs it: through the Api, the one host that holds Meta's app
/// secret (the code exchange and the token's checks need it). The internet-facing dashboard
/// never has it. It calls the Api's own routes as the signed-in person, with a bearer token it
/// issues for one minute from the Data Protection keys both hosts share — the same checks
/// (permission, anti-forgery state, audit) as any client of the Api.
/// </summary>
public sealed partial class ApiEmbeddedSignup(
    HttpClient http,
    CurrentMember member,
    MemberScopes scopes,
    ILogger<ApiEmbeddedSignup> logger)
{
    private static readonly TimeSpan TokenLifetime = TimeSpan.FromMinutes(1);

    // As the Api writes its answers: web defaults, states as their names.
    private static readonly JsonSerializerOptions ApiJson = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    public Task<Outcome<EmbeddedSignupStart>> StartAsync(CancellationToken cancellationToken) =>
        PostAsync<EmbeddedSignupStart>("api/whatsapp/connections/embedded-signup/start", null, cancellationToken);

    public Task<Outcome<ConnectionSummary>> CompleteAsync(EmbeddedSignupRequest request, CancellationToken cancellationToken) =>
        PostAsync<ConnectionSummary>("api/whatsapp/connections/embedded-signup", request, cancellationToken);

    private async Task<Outcome<T>> PostAsync<T>(string path, object? body, CancellationToken cancellationToken)
    {
        // In a scope of its own, as every use case of a circuit (UseCase<T>): the circuit's DbContext is never shared.
        string token;
        await using (var scope = scopes.Create())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
            if (member.UserId is not { } userId || await users.FindByIdAsync(userId.ToString()) is not { } user)
            {
                return UseCaseError.Forbidden("Sign in again to connect a number.");
            }

            token = await scope.ServiceProvider.GetRequiredService<AccessTokens>().IssueAsync(user, TokenLifetime);
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body ?? new { }) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        try
        {
            using var response = await http.SendAsync(request, cancellationToken);
            if (response.IsSuccessStatusCode)
            {
                return (await response.Content.ReadFromJsonAsync<T>(ApiJson, cancellationToken))!;
            }

            return await RefusalAsync(response, cancellationToken);
        }
        catch (Exception ex) when (ex is HttpRequestException or JsonException or TaskCanceledException)
        {
            LogApiUnreachable(logger, ex.GetType().Name);
            return UseCaseError.Upstream("The Leads Peer Api could not be reached to connect the number. Try again in a minute.");
        }
    }

    /// <summary>The Api's problem details as the dashboard shows a refusal: its kind from the status, its words from the title and detail.</summary>
    private async Task<UseCaseError> RefusalAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var kind = response.StatusCode switch
        {
            HttpStatusCode.BadRequest => FailureKind.Invalid,
            HttpStatusCode.Forbidden or HttpStatusCode.Unauthorized => FailureKind.Forbidden,
            HttpStatusCode.NotFound => FailureKind.NotFound,
            HttpStatusCode.Conflict => FailureKind.Conflict,
            _ => FailureKind.Upstream,
        };
        var title = "The Api refused to connect the number.";
        try
        {
            var problem = await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
            if (problem.ValueKind == JsonValueKind.Object && problem.TryGetProperty("title", out var t) && t.GetString() is { Length: > 0 } text)
            {
                title = problem.TryGetProperty("detail", out var d) && d.GetString() is { Length: > 0 } detail ? $"{text} {detail}" : text;
            }
        }
        catch (JsonException)
        {
            // Not problem details (a proxy's page): the generic words stand, and the team sees why.
            LogNotProblemDetails(logger, (int)response.StatusCode);
        }

        return new UseCaseError(kind, title);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Embedded Signup: the Api answered {Status} without problem details")]
    private static partial void LogNotProblemDetails(ILogger logger, int status);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Embedded Signup: the Api could not be reached ({Reason})")]
    private static partial void LogApiUnreachable(ILogger logger, string reason);
}
