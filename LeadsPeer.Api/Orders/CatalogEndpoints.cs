using System.Text;
using LeadsPeer.Api.Idempotency;
using LeadsPeer.Core;
using LeadsPeer.Core.Accounts;
using LeadsPeer.Core.Catalog;
using LeadsPeer.Core.Ordering;
using Microsoft.AspNetCore.Http.HttpResults;

namespace LeadsPeer.Api.Orders;

/// <summary>The organisation's catalog and how it takes orders. Every member reads them; changing them takes the catalog permission.</summary>
public static class CatalogEndpoints
{
    public static IEndpointRouteBuilder MapCatalogEndpoints(this IEndpointRouteBuilder routes)
    {
        var read = Permissions.PolicyName(Permission.HandleConversations);
        var manage = Permissions.PolicyName(Permission.ManageCatalog);
        var catalog = routes.MapGroup("/api/catalog").WithTags("Catalog")
            .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status403Forbidden);
        catalog.MapGet("/products", (string? search, string? category, string? cursor, CatalogService service, CancellationToken ct) =>
            service.ListAsync(search, category, cursor, ct).OkOrRefusal())
            .RequireAuthorization(read).Refuses(FailureKind.Invalid)
            .WithDescription("The products, oldest first, 100 a page; `search` matches words of the name, option, category or SKU (as prefixes).");
        catalog.MapGet("/products/{id:guid}", (Guid id, CatalogService service, CancellationToken ct) => service.GetAsync(id, ct).OkOrRefusal())
            .RequireAuthorization(read).Refuses(FailureKind.NotFound);
        catalog.MapPost("/products", (ProductInput input, CatalogService service, CancellationToken ct) =>
            service.CreateAsync(input, ct).CreatedOrRefusal(p => $"/api/catalog/products/{p.Id}"))
            .RequireAuthorization(manage).Refuses(FailureKind.Invalid, FailureKind.Conflict).Idempotent()
            .WithDescription("Adds a product. `price` is in the organisation's currency with at most its decimals; an option names its product by `parentSku`.");
        catalog.MapPut("/products/{id:guid}", (Guid id, ProductInput input, CatalogService service, CancellationToken ct) => service.UpdateAsync(id, input, ct).OkOrRefusal())
            .RequireAuthorization(manage).Refuses(FailureKind.Invalid, FailureKind.NotFound, FailureKind.Conflict);
        catalog.MapDelete("/products/{id:guid}", (Guid id, CatalogService service, CancellationToken ct) => service.DeleteAsync(id, ct).NoContentOrRefusal())
            .RequireAuthorization(manage).Refuses(FailureKind.NotFound);
        catalog.MapPost("/import", ImportAsync).DisableAntiforgery().RequireRateLimiting(RateLimits.RateLimitExtensions.Uploads)
            .ReadsUploadWithin(_ => CatalogImport.MaxBytes)
            .Idempotent()
            .Accepts<IFormFile>("multipart/form-data")
            .RequireAuthorization(manage).Refuses(FailureKind.Invalid, FailureKind.TooLarge)
            .WithDescription("Imports a CSV file (field `file`; columns sku,name,description,category,price,currency,available,stock,parent_sku,variant). "
                + "Each row creates or replaces the product of its SKU. One bad line and nothing is stored: the problem details name every bad line.");

        var ordering = routes.MapGroup("/api/ordering/settings").WithTags("Catalog")
            .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status403Forbidden);
        ordering.MapGet("", async (OrderingSettingsService service, CancellationToken ct) => TypedResults.Ok(await service.GetAsync(ct))).RequireAuthorization(read);
        ordering.MapPut("", (OrderingSettingsInput input, OrderingSettingsService service, CancellationToken ct) => service.SaveAsync(input, ct).OkOrRefusal())
            .RequireAuthorization(manage).Refuses(FailureKind.Invalid);
        return routes;
    }

    private static async Task<Results<Ok<ImportReport>, ValidationProblem, ProblemHttpResult, Refusal>> ImportAsync(HttpRequest request, CatalogImport import, CancellationToken cancellationToken)
    {
        var form = await request.ReadFormAsync(cancellationToken); // read within its limit by ReadsUploadWithin
        var file = form.Files.GetFile("file") ?? form.Files.FirstOrDefault();
        if (file is null)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["file"] = ["Attach the CSV file in a field named \"file\"."] });
        }

        if (file.Length > CatalogImport.MaxBytes)
        {
            return Uploads.TooLarge(CatalogImport.MaxBytes);
        }

        string csv;
        try
        {
            using var reader = new StreamReader(file.OpenReadStream(), new UTF8Encoding(false, throwOnInvalidBytes: true));
            csv = await reader.ReadToEndAsync(cancellationToken);
        }
        catch (DecoderFallbackException)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["file"] = ["The file is not UTF-8 text: save it as \"CSV UTF-8\"."] });
        }

        var outcome = await import.ImportAsync(csv, cancellationToken);
        return outcome.Succeeded ? TypedResults.Ok(outcome.Value) : outcome.Error!.ToRefusal();
    }
}
