using LeadsPeer.Core.Accounts;
using LeadsPeer.Core.WhatsApp;

namespace LeadsPeer.Api.WhatsApp;

/// <summary>The organisation's WhatsApp numbers: list, connect (Embedded Signup or sandbox), remove.</summary>
public static class WhatsAppConnectionEndpoints
{
    public static IEndpointRouteBuilder MapWhatsAppConnectionEndpoints(this IEndpointRouteBuilder routes)
    {
        var connections = routes.MapGroup("/api/whatsapp/connections").WithTags("WhatsApp")
            .RequireAuthorization(Permissions.PolicyName(Permission.ManageWhatsApp));
        connections.MapGet("", ListAsync);
        // Step one of Embedded Signup: the state to send along with Meta's code, and what the browser needs.
        connections.MapPost("/embedded-signup/start", Start);
        connections.MapPost("/embedded-signup", CompleteEmbeddedSignupAsync);
        connections.MapPost("/sandbox", CreateSandboxAsync);
        connections.MapDelete("/{id:guid}", RemoveAsync);
        return routes;
    }

    private static async Task<IResult> ListAsync(ConnectionService connections, CancellationToken cancellationToken) =>
        TypedResults.Ok(await connections.ListAsync(cancellationToken));

    private static IResult Start(ConnectionService connections)
    {
        var outcome = connections.StartEmbeddedSignup();
        return outcome.Succeeded ? TypedResults.Ok(outcome.Value) : outcome.Error!.ToProblem();
    }

    private static async Task<IResult> CompleteEmbeddedSignupAsync(
        EmbeddedSignupRequest request, ConnectionService connections, CancellationToken cancellationToken)
    {
        var outcome = await connections.CompleteEmbeddedSignupAsync(request, cancellationToken);
        return outcome.Succeeded
            ? TypedResults.Created($"/api/whatsapp/connections/{outcome.Value!.Id}", outcome.Value)
            : outcome.Error!.ToProblem();
    }

    private static async Task<IResult> CreateSandboxAsync(ConnectionService connections, CancellationToken cancellationToken)
    {
        var outcome = await connections.CreateSandboxAsync(cancellationToken);
        return outcome.Succeeded
            ? TypedResults.Created($"/api/whatsapp/connections/{outcome.Value!.Id}", outcome.Value)
            : outcome.Error!.ToProblem();
    }

    private static async Task<IResult> RemoveAsync(Guid id, ConnectionService connections, CancellationToken cancellationToken)
    {
        var outcome = await connections.RemoveAsync(id, cancellationToken);
        return outcome.Succeeded ? TypedResults.NoContent() : outcome.Error!.ToProblem();
    }
}
