using LeadsPeer.Core;
using LeadsPeer.Core.Accounts;
using LeadsPeer.Core.Privacy;

namespace LeadsPeer.Web.Privacy;

/// <summary>
/// The dashboard's downloads of personal data: a customer's export and the organisation's ZIP,
/// for the signed-in person the use case allows (its permission is checked there too). Never
/// cached; a refusal is a short page in words.
/// </summary>
public static class PrivacyDownloads
{
    public static IEndpointRouteBuilder MapPrivacyDownloads(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/privacy/contacts/{id:guid}/export", async (Guid id, CustomerExport export, HttpContext http, CancellationToken ct) =>
        {
            var outcome = await export.ExportAsync(id, ct);
            if (outcome.Error is { } error)
            {
                return Refused(error);
            }

            http.Response.Headers.CacheControl = "no-store";
            return Results.File(System.Text.Encoding.UTF8.GetBytes(outcome.Value!), "application/json", $"customer-{id}.json");
        }).RequireAuthorization(Permissions.PolicyName(Permission.ManageCustomerData));

        routes.MapGet("/privacy/exports/{id:guid}", async (Guid id, OrganizationExports exports, HttpContext http, CancellationToken ct) =>
        {
            var outcome = await exports.DownloadAsync(id, ct);
            if (outcome.Error is { } error)
            {
                return Refused(error);
            }

            http.Response.Headers.CacheControl = "no-store";
            return Results.File(outcome.Value!.Content, "application/zip", outcome.Value.FileName);
        }).RequireAuthorization(Permissions.PolicyName(Permission.ExportOrganization));
        return routes;
    }

    private static IResult Refused(UseCaseError error) => Results.Text(
        error.Title, "text/plain; charset=utf-8",
        statusCode: error.Kind switch
        {
            FailureKind.NotFound => StatusCodes.Status404NotFound,
            FailureKind.Forbidden => StatusCodes.Status403Forbidden,
            FailureKind.Gone => StatusCodes.Status410Gone,
            _ => StatusCodes.Status409Conflict,
        });
}
