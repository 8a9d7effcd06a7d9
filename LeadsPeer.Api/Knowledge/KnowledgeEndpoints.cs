using LeadsPeer.Core;
using LeadsPeer.Core.Accounts;
using LeadsPeer.Core.Agent;
using LeadsPeer.Core.Knowledge;
using Microsoft.AspNetCore.Http.Features;

namespace LeadsPeer.Api.Knowledge;

public sealed record FaqRequest(string? Question, string? Answer);

/// <summary>The organisation's knowledge (files and FAQ entries) and its agent's settings.</summary>
public static class KnowledgeEndpoints
{
    /// <summary>Room for the multipart envelope around the file itself.</summary>
    private const long MultipartOverhead = 64 * 1024;

    public static IEndpointRouteBuilder MapKnowledgeEndpoints(this IEndpointRouteBuilder routes)
    {
        var knowledge = routes.MapGroup("/api/knowledge").WithTags("Knowledge")
            .RequireAuthorization(Permissions.PolicyName(Permission.ManageKnowledge));
        // Bearer-token clients post files: there is no cookie to forge.
        knowledge.MapPost("/documents", UploadAsync).DisableAntiforgery()
            .Accepts<IFormFile>("multipart/form-data")
            .WithDescription("Upload one file (field `file`): PDF, Word (.docx), HTML, Markdown, plain text or CSV. Indexed in the background; 202 with the document.");
        knowledge.MapGet("/documents", (string? cursor, int? limit, KnowledgeService service, CancellationToken ct) => Answer(service.ListDocumentsAsync(cursor, limit, ct)));
        knowledge.MapGet("/documents/{id:guid}", (Guid id, KnowledgeService service, CancellationToken ct) => Answer(service.GetDocumentAsync(id, ct)));
        knowledge.MapDelete("/documents/{id:guid}", (Guid id, KnowledgeService service, CancellationToken ct) => NoContent(service.DeleteDocumentAsync(id, ct)));
        knowledge.MapPost("/documents/{id:guid}/reindex", async (Guid id, KnowledgeService service, CancellationToken ct) =>
        {
            var outcome = await service.ReindexAsync(id, ct);
            return outcome.Succeeded ? TypedResults.Accepted($"/api/knowledge/documents/{id}", outcome.Value) : outcome.Error!.ToProblem();
        });
        knowledge.MapGet("/faqs", (string? cursor, int? limit, KnowledgeService service, CancellationToken ct) => Answer(service.ListFaqsAsync(cursor, limit, ct)));
        knowledge.MapPost("/faqs", async (FaqRequest request, KnowledgeService service, CancellationToken ct) =>
        {
            var outcome = await service.CreateFaqAsync(request.Question, request.Answer, ct);
            return outcome.Succeeded ? TypedResults.Created($"/api/knowledge/faqs/{outcome.Value!.Id}", outcome.Value) : outcome.Error!.ToProblem();
        });
        knowledge.MapPut("/faqs/{id:guid}", (Guid id, FaqRequest request, KnowledgeService service, CancellationToken ct) =>
            Answer(service.UpdateFaqAsync(id, request.Question, request.Answer, ct)));
        knowledge.MapDelete("/faqs/{id:guid}", (Guid id, KnowledgeService service, CancellationToken ct) => NoContent(service.DeleteFaqAsync(id, ct)));

        var agent = routes.MapGroup("/api/agent").WithTags("Agent")
            .RequireAuthorization(Permissions.PolicyName(Permission.ManageAgent));
        agent.MapGet("", async (AgentSettingsService service, CancellationToken ct) => TypedResults.Ok(await service.GetAsync(ct)));
        agent.MapPut("", (AgentSettingsInput input, AgentSettingsService service, CancellationToken ct) => Answer(service.SaveAsync(input, ct)));
        return routes;
    }

    private static async Task<IResult> UploadAsync(HttpRequest request, KnowledgeService service, CancellationToken cancellationToken)
    {
        if (!request.HasFormContentType)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType,
                title: "Send the file as multipart/form-data, in a field named \"file\".");
        }

        // Refuse an oversized upload before reading it; a body without a declared length is cut
        // off by the server at the same size.
        var limit = service.MaxFileBytes + MultipartOverhead;
        if (request.ContentLength > limit)
        {
            return TooLarge(service);
        }

        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } sizeLimit)
        {
            sizeLimit.MaxRequestBodySize = limit;
        }

        IFormCollection form;
        try
        {
            form = await request.ReadFormAsync(cancellationToken);
        }
        catch (InvalidDataException)
        {
            // Multipart bodies the form reader cannot parse (or whose parts exceed its limits).
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "The multipart body could not be read.");
        }

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
            : outcome.Error!.ToProblem();
    }

    private static IResult TooLarge(KnowledgeService service) =>
        TypedResults.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: $"The file is larger than {service.MaxFileBytes / (1024 * 1024)} MB.");

    private static async Task<IResult> Answer<T>(Task<Outcome<T>> action)
    {
        var outcome = await action;
        return outcome.Succeeded ? TypedResults.Ok(outcome.Value) : outcome.Error!.ToProblem();
    }

    private static async Task<IResult> NoContent(Task<Outcome<bool>> action)
    {
        var outcome = await action;
        return outcome.Succeeded ? TypedResults.NoContent() : outcome.Error!.ToProblem();
    }
}
