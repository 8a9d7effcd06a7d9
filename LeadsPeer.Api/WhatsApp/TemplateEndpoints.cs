using LeadsPeer.Core;
using LeadsPeer.Core.Accounts;
using LeadsPeer.Core.WhatsApp.Templates;
using Microsoft.AspNetCore.Http.HttpResults;

namespace LeadsPeer.Api.WhatsApp;

/// <summary>
/// A number's message templates (they belong to its WhatsApp Business Account): everyone who
/// handles conversations sees them; owners and admins sync, submit and delete them.
/// </summary>
public static class TemplateEndpoints
{
    public static IEndpointRouteBuilder MapTemplateEndpoints(this IEndpointRouteBuilder routes)
    {
        const string Route = "/api/whatsapp/connections/{id:guid}/templates";
        routes.MapGroup(Route).WithTags("Templates")
            .RequiresPermission(Permissions.PolicyName(Permission.HandleConversations))
            .MapGet("", ListAsync).Refuses(FailureKind.NotFound);

        var manage = routes.MapGroup(Route).WithTags("Templates")
            .RequiresPermission(Permissions.PolicyName(Permission.ManageWhatsApp));
        manage.MapPost("/sync", SyncAsync).Refuses(FailureKind.NotFound, FailureKind.Conflict, FailureKind.Upstream);
        manage.MapPost("", CreateAsync).Refuses(FailureKind.NotFound, FailureKind.Conflict, FailureKind.Upstream);
        manage.MapDelete("/{name}", DeleteAsync).Refuses(FailureKind.NotFound, FailureKind.Conflict, FailureKind.Upstream);
        return routes;
    }

    private static Task<Results<Ok<IReadOnlyList<TemplateView>>, Refusal>> ListAsync(Guid id, TemplateCatalog catalog, CancellationToken cancellationToken) =>
        catalog.ListAsync(id, cancellationToken).OkOrRefusal();

    private static Task<Results<Ok<IReadOnlyList<TemplateView>>, Refusal>> SyncAsync(Guid id, TemplateCatalog catalog, CancellationToken cancellationToken) =>
        catalog.SyncAsync(id, cancellationToken).OkOrRefusal();

    private static Task<Results<Created<TemplateView>, Refusal>> CreateAsync(Guid id, TemplateDraft draft, TemplateCatalog catalog, CancellationToken cancellationToken) =>
        catalog.CreateAsync(id, draft, cancellationToken).CreatedOrRefusal(_ => $"/api/whatsapp/connections/{id}/templates");

    private static Task<Results<NoContent, Refusal>> DeleteAsync(Guid id, string name, TemplateCatalog catalog, CancellationToken cancellationToken) =>
        catalog.DeleteAsync(id, name, cancellationToken).NoContentOrRefusal();
}
