using LeadsPeer.Api.Idempotency;
using LeadsPeer.Core;
using LeadsPeer.Core.Accounts;
using LeadsPeer.Core.Agent;
using LeadsPeer.Core.Knowledge;
using Microsoft.AspNetCore.Http.HttpResults;

namespace LeadsPeer.Api.Knowledge;

public sealed record FaqRequest(string? Question, string? Answer);

/// <summary>The organisation's knowledge (files and FAQ entries) and its agent's settings.</summary>
public static class KnowledgeEndpoints
{
    public static IEndpointRouteBuilder MapKnowledgeEndpoints(this IEndpointRouteBuilder routes)
    {
        var knowledge = routes.MapGroup("/api/knowledge").WithTags("Knowledge")
            .RequiresPermission(Permissions.PolicyName(Permission.ManageKnowledge));
        // Bearer-token clients post files: there is no cookie to forge.
        knowledge.MapPost("/documents", UploadAsync).DisableAntiforgery().RequireRateLimiting(RateLimits.RateLimitExtensions.Uploads)
            .ReadsUploadWithin(services => services.GetRequiredService<KnowledgeService>().MaxFileBytes)
            .Idempotent()
            .Accepts<IFormFile>("multipart/form-data")
            .WithDescription("Upload one file (field `file`): PDF, Word (.docx), HTML, Markdown, plain text or CSV. Indexed in the background; 202 with the document.")
            .Refuses(FailureKind.TooLarge, FailureKind.Unsupported);
        knowledge.MapGet("/documents", (string? cursor, int? limit, KnowledgeService service, CancellationToken ct) => service.ListDocumentsAsync(cursor, limit, ct).OkOrRefusal());
        knowledge.MapGet("/documents/{id:guid}", (Guid id, KnowledgeService service, CancellationToken ct) => service.GetDocumentAsync(id, ct).OkOrRefusal())
            .Refuses(FailureKind.NotFound);
        knowledge.MapDelete("/documents/{id:guid}", (Guid id, KnowledgeService service, CancellationToken ct) => service.DeleteDocumentAsync(id, ct).NoContentOrRefusal())
            .Refuses(FailureKind.NotFound);
        knowledge.MapPost("/documents/{id:guid}/reindex", (Guid id, KnowledgeService service, CancellationToken ct) =>
            service.ReindexAsync(id, ct).AcceptedOrRefusal(_ => $"/api/knowledge/documents/{id}"))
            .Refuses(FailureKind.NotFound, FailureKind.Conflict);
        knowledge.MapGet("/faqs", (string? cursor, int? limit, KnowledgeService service, CancellationToken ct) => service.ListFaqsAsync(cursor, limit, ct).OkOrRefusal());
        knowledge.MapPost("/faqs", (FaqRequest request, KnowledgeService service, CancellationToken ct) =>
            service.CreateFaqAsync(request.Question, request.Answer, ct).CreatedOrRefusal(faq => $"/api/knowledge/faqs/{faq.Id}"))
            .Idempotent();
        knowledge.MapPut("/faqs/{id:guid}", (Guid id, FaqRequest request, KnowledgeService service, CancellationToken ct) =>
            service.UpdateFaqAsync(id, request.Question, request.Answer, ct).OkOrRefusal())
            .Refuses(FailureKind.NotFound);
        knowledge.MapDelete("/faqs/{id:guid}", (Guid id, KnowledgeService service, CancellationToken ct) => service.DeleteFaqAsync(id, ct).NoContentOrRefusal())
            .Refuses(FailureKind.NotFound);

        var agent = routes.MapGroup("/api/agent").WithTags("Agent")
            .RequiresPermission(Permissions.PolicyName(Permission.ManageAgent));
        agent.MapGet("", async (AgentSettingsService service, CancellationToken ct) => TypedResults.Ok(await service.GetAsync(ct)));
        agent.MapPut("", (AgentSettingsInput input, AgentSettingsService service, CancellationToken ct) => service.SaveAsync(input, ct).OkOrRefusal());
        return routes;
    }

    private static async Task<Results<Accepted<KnowledgeDocumentView>, ValidationProblem, ProblemHttpResult, Refusal>> UploadAsync(HttpRequest request, KnowledgeService service, CancellationToken cancellationToken)
    {
        var form = await request.ReadFormAsync(cancellationToken); // read by ReadUploadAsync: the cached form
        var file = form.Files.GetFile("file") ?? form.Files.FirstOrDefault();
        if (file is null)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["file"] = ["Attach a file in a field named \"file\"."] });
        }

        if (file.Length > service.MaxFileBytes)
        {
            return TooLarge(service);
        }

        var content = new byte[file.Length];
        await using (var stream = file.OpenReadStream())
        {
            await stream.ReadExactlyAsync(content, cancellationToken);
        }

        var outcome = await service.UploadAsync(file.FileName, content, cancellationToken);
        return outcome.Succeeded
            ? TypedResults.Accepted($"/api/knowledge/documents/{outcome.Value!.Id}", outcome.Value)
            : outcome.Error!.ToRefusal();
    }

    private static ProblemHttpResult TooLarge(KnowledgeService service) => Uploads.TooLarge(service.MaxFileBytes);
}
