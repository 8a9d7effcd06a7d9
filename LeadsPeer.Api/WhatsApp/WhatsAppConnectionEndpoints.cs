using LeadsPeer.Core;
using LeadsPeer.Core.Accounts;
using Microsoft.AspNetCore.Http.HttpResults;
using LeadsPeer.Core.WhatsApp;

namespace LeadsPeer.Api.WhatsApp;

/// <summary>The organisation's WhatsApp numbers: list, connect (Embedded Signup or sandbox), remove.</summary>
public static class WhatsAppConnectionEndpoints
{
    public static IEndpointRouteBuilder MapWhatsAppConnectionEndpoints(this IEndpointRouteBuilder routes)
    {
        var connections = routes.MapGroup("/api/whatsapp/connections").WithTags("WhatsApp")
            .RequiresPermission(Permissions.PolicyName(Permission.ManageWhatsApp));
        connections.MapGet("", ListAsync);
        // Step one of Embedded Signup: the state to send along with Meta's code, and what the browser needs.
        connections.MapPost("/embedded-signup/start", Start).Refuses(FailureKind.Conflict);
        connections.MapPost("/embedded-signup", CompleteEmbeddedSignupAsync).Refuses(FailureKind.Forbidden, FailureKind.Conflict, FailureKind.Upstream);
        connections.MapPost("/sandbox", CreateSandboxAsync).Refuses(FailureKind.Conflict);
        connections.MapDelete("/{id:guid}", RemoveAsync).Refuses(FailureKind.NotFound);
        return routes;
    }

    private static async Task<Ok<IReadOnlyList<ConnectionSummary>>> ListAsync(ConnectionService connections, CancellationToken cancellationToken) =>
        TypedResults.Ok(await connections.ListAsync(cancellationToken));

    private static Results<Ok<EmbeddedSignupStart>, Refusal> Start(EmbeddedSignup signup) => signup.StartEmbeddedSignup().OkOrRefusal();

    private static Task<Results<Created<ConnectionSummary>, Refusal>> CompleteEmbeddedSignupAsync(
        EmbeddedSignupRequest request, EmbeddedSignup signup, CancellationToken cancellationToken) =>
        signup.CompleteEmbeddedSignupAsync(request, cancellationToken).CreatedOrRefusal(connection => $"/api/whatsapp/connections/{connection.Id}");

    private static Task<Results<Created<ConnectionSummary>, Refusal>> CreateSandboxAsync(ConnectionService connections, CancellationToken cancellationToken) =>
        connections.CreateSandboxAsync(cancellationToken).CreatedOrRefusal(connection => $"/api/whatsapp/connections/{connection.Id}");

    private static Task<Results<NoContent, Refusal>> RemoveAsync(Guid id, ConnectionService connections, CancellationToken cancellationToken) =>
        connections.RemoveAsync(id, cancellationToken).NoContentOrRefusal();
}
