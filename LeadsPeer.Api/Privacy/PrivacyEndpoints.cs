using LeadsPeer.Api.Idempotency;
using LeadsPeer.Core;
using LeadsPeer.Core.Accounts;
using LeadsPeer.Core.Privacy;
using Microsoft.AspNetCore.Http.HttpResults;

namespace LeadsPeer.Api.Privacy;

public sealed record ClosureRequest(string? Confirmation);

public sealed record ContactUpdate(string? DisplayName, bool? DoNotProcess);

public sealed record RetentionRequest(int? ConversationRetentionMonths);

/// <summary>
/// Customers' privacy requests (export, erasure) and the organisation's own: its retention, its
/// closure. The use cases check the permission too; the policies here answer 403 before any work.
/// </summary>
public static class PrivacyEndpoints
{
    public static IEndpointRouteBuilder MapPrivacyEndpoints(this IEndpointRouteBuilder routes)
    {
        var customerData = Permissions.PolicyName(Permission.ManageCustomerData);
        var contacts = routes.MapGroup("/api/contacts").WithTags("Privacy")
            .RequireAuthorization(customerData)
            .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status403Forbidden);
        contacts.MapDelete("/{id:guid}", (Guid id, CustomerErasure erasure, CancellationToken ct) => erasure.EraseAsync(id, ct).OkOrRefusal())
            .WithSummary("Erase an end customer: their contact, conversations, messages, media and every copy that quotes them.")
            .Refuses(FailureKind.NotFound);
        contacts.MapPut("/{id:guid}", (Guid id, ContactUpdate update, ContactCorrection correction, CancellationToken ct) =>
                correction.UpdateAsync(id, update.DisplayName, update.DoNotProcess, ct).OkOrRefusal())
            .WithSummary("Correct a customer's name (shown instead of their WhatsApp profile name) or restrict processing (the AI does not answer them, no templates).")
            .Refuses(FailureKind.Invalid, FailureKind.NotFound);
        contacts.MapGet("/{id:guid}/export", ExportAsync)
            .WithSummary("Everything held about an end customer, as one JSON document to hand over to them.")
            .Produces<string>(contentType: "application/json").Refuses(FailureKind.NotFound);

        var organization = routes.MapGroup("/api/organization").WithTags("Privacy")
            .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status403Forbidden);
        organization.MapGet("/privacy", (PrivacySettings settings, CancellationToken ct) => settings.GetAsync(ct).OkOrRefusal())
            .RequireAuthorization(customerData);
        organization.MapPut("/privacy/retention", (RetentionRequest request, PrivacySettings settings, CancellationToken ct) =>
                settings.SetConversationRetentionAsync(request.ConversationRetentionMonths, ct).OkOrRefusal())
            .RequireAuthorization(customerData).Refuses(FailureKind.Invalid);

        var exportPolicy = Permissions.PolicyName(Permission.ExportOrganization);
        organization.MapPost("/export", (OrganizationExports exports, CancellationToken ct) =>
                exports.RequestAsync(ct).AcceptedOrRefusal(e => $"/api/organization/exports/{e.Id}"))
            .WithSummary("Export the whole organisation: a ZIP of one JSON file per table, built in the background.")
            .RequireAuthorization(exportPolicy).Refuses(FailureKind.Conflict);
        organization.MapGet("/exports", (OrganizationExports exports, CancellationToken ct) => exports.ListAsync(ct).OkOrRefusal())
            .RequireAuthorization(exportPolicy);
        organization.MapGet("/exports/{id:guid}/download", DownloadAsync)
            .WithSummary("The export's ZIP, once: the file is deleted as it is handed out (then, or after it expires, 410).")
            .RequireAuthorization(exportPolicy).Produces(StatusCodes.Status200OK, contentType: "application/zip")
            .Refuses(FailureKind.NotFound, FailureKind.Conflict, FailureKind.Gone);

        // Signed in is enough at the edge: after the purge there is no organisation to hold a
        // permission in, and the use case answers 404 instead of 403.
        var closure = organization.MapGroup("/closure").RequireAuthorization();
        closure.MapGet("", (OrganizationClosure closures, CancellationToken ct) => closures.GetAsync(ct).OkOrRefusal()).Refuses(FailureKind.NotFound);
        closure.MapPost("", (ClosureRequest request, OrganizationClosure closures, CancellationToken ct) => closures.CloseAsync(request.Confirmation, ct).OkOrRefusal())
            .WithSummary("Close the organisation: its numbers are suspended now and its data deleted when the grace period ends.")
            .Refuses(FailureKind.Invalid, FailureKind.NotFound, FailureKind.Conflict).Idempotent();
        closure.MapDelete("", (OrganizationClosure closures, CancellationToken ct) => closures.CancelAsync(ct).OkOrRefusal())
            .WithSummary("Cancel the closure within the grace period: the numbers and the team work again.")
            .Refuses(FailureKind.NotFound, FailureKind.Conflict);
        return routes;
    }

    private static async Task<Results<FileContentHttpResult, Refusal>> DownloadAsync(Guid id, OrganizationExports exports, HttpContext http, CancellationToken cancellationToken)
    {
        var outcome = await exports.DownloadAsync(id, cancellationToken);
        if (outcome.Error is { } error)
        {
            return error.ToRefusal();
        }

        http.Response.Headers.CacheControl = "no-store";
        return TypedResults.File(outcome.Value!.Content, "application/zip", outcome.Value.FileName);
    }

    private static async Task<Results<ContentHttpResult, Refusal>> ExportAsync(Guid id, CustomerExport export, HttpContext http, CancellationToken cancellationToken)
    {
        var outcome = await export.ExportAsync(id, cancellationToken);
        if (outcome.Error is { } error)
        {
            return error.ToRefusal();
        }

        http.Response.Headers.ContentDisposition = $"attachment; filename=\"customer-{id}.json\"";
        http.Response.Headers.CacheControl = "no-store";
        return TypedResults.Content(outcome.Value, "application/json");
    }
}
