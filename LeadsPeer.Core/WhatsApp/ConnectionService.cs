using System.Security.Cryptography;
using LeadsPeer.Core.Accounts;
using LeadsPeer.Core.Audit;
using LeadsPeer.Core.Data;
using LeadsPeer.Core.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LeadsPeer.Core.WhatsApp;

public sealed record ConnectionSummary(
    Guid Id,
    WhatsAppConnectionKind Kind,
    WhatsAppConnectionStatus Status,
    string PhoneNumberId,
    string WabaId,
    string? DisplayPhoneNumber,
    string? VerifiedName,
    string? QualityRating,
    string? StatusReason,
    DateTimeOffset CreatedAt,
    DateTimeOffset? LastWebhookAt,
    TimeSpan? SandboxServiceWindow = null);

public sealed record EmbeddedSignupRequest(string? Code, string? WabaId, string? PhoneNumberId, string? State);

public sealed record EmbeddedSignupStart(string State, string? AppId, string? ConfigId, string GraphApiVersion);

/// <summary>
/// The organisation's WhatsApp numbers: the list, a sandbox number to try the product without
/// Meta, and removal (connecting a real number is <see cref="EmbeddedSignup"/>'s). Tokens and PINs are stored only
/// encrypted, and deleted when the connection is removed; conversations stay.
/// </summary>
public sealed class ConnectionService(
    LeadsPeerDbContext db,
    CurrentMember member,
    GraphApiClient graph,
    TokenProtector protector,
    ConnectionLifecycle lifecycle,
    AuditLog audit,
    TimeProvider time,
    ILogger<ConnectionService> logger)
{
    public async Task<IReadOnlyList<ConnectionSummary>> ListAsync(CancellationToken cancellationToken) =>
        await db.WhatsAppConnections.AsNoTracking()
            .Where(c => c.Status != WhatsAppConnectionStatus.Removed)
            .OrderBy(c => c.CreatedAt)
            .Select(c => new ConnectionSummary(c.Id, c.Kind, c.Status, c.PhoneNumberId, c.WabaId, c.DisplayPhoneNumber,
                c.VerifiedName, c.QualityRating, c.StatusReason, c.CreatedAt, c.LastWebhookAt, c.SandboxServiceWindow))
            .ToListAsync(cancellationToken);

    /// <summary>A number of the organisation's own for trying the product; it talks to the simulator, never to Meta.</summary>
    public async Task<Outcome<ConnectionSummary>> CreateSandboxAsync(CancellationToken cancellationToken)
    {
        if (member.Refuses(Permission.ManageWhatsApp) is { } refused)
        {
            return refused;
        }

        if (await db.WhatsAppConnections.AnyAsync(c => c.Kind == WhatsAppConnectionKind.Sandbox && c.Status != WhatsAppConnectionStatus.Removed, cancellationToken))
        {
            return UseCaseError.Conflict("This organisation already has a sandbox number.");
        }

        // Ids in a range Meta does not hand out, so a sandbox id can never collide with a real one.
        var suffix = RandomNumberGenerator.GetInt32(0, 1_000_000_000);
        var connection = new WhatsAppConnection
        {
            Kind = WhatsAppConnectionKind.Sandbox,
            PhoneNumberId = $"sandbox-{suffix:D9}",
            WabaId = $"sandbox-waba-{suffix:D9}",
            DisplayPhoneNumber = $"+1 555 {suffix % 1000:D3} {suffix / 1000 % 10000:D4}",
            VerifiedName = "Sandbox",
            QualityRating = "GREEN",
            CreatedAt = time.GetUtcNow(),
            TenantId = member.OrganizationId!.Value,
        };
        // The simulator checks the bearer token like Meta does, so a sandbox number has one too.
        connection.EncryptedAccessToken = protector.Protect(SandboxToken(), SecretBinding.AccessToken(connection.TenantId, connection.Id));
        connection.TokenKeyId = protector.ActiveKeyId;
        ConnectionLifecycle.Activate(connection);
        db.WhatsAppConnections.Add(connection);
        audit.Record("connection.create-sandbox", "connection", connection.Id);
        await db.SaveChangesAsync(cancellationToken);
        return Summarize(connection);
    }

    private static string SandboxToken() => "SANDBOX" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    /// <summary>Shortest and longest sandbox window: long enough to write a few messages, never longer than Meta's.</summary>
    public static readonly TimeSpan MinSandboxWindow = TimeSpan.FromSeconds(10);

    public static readonly TimeSpan MaxSandboxWindow = TimeSpan.FromHours(24);

    /// <summary>
    /// A sandbox number's customer service window, to try what happens once it closes. It applies
    /// at once: each of the number's conversations now ends its window that long after the
    /// customer's last message (so a window may close right away).
    /// </summary>
    public async Task<Outcome<ConnectionSummary>> SetSandboxWindowAsync(Guid connectionId, TimeSpan window, CancellationToken cancellationToken)
    {
        if (window < MinSandboxWindow || window > MaxSandboxWindow)
        {
            return UseCaseError.Invalid("seconds", $"The window is {MinSandboxWindow.TotalSeconds:0} seconds to {MaxSandboxWindow.TotalHours:0} hours.");
        }

        var connection = await db.WhatsAppConnections.SingleOrDefaultAsync(
            c => c.Id == connectionId && c.Kind == WhatsAppConnectionKind.Sandbox && c.Status != WhatsAppConnectionStatus.Removed, cancellationToken);
        if (connection is null)
        {
            return UseCaseError.NotFound("No such sandbox number in this organisation.");
        }

        connection.SandboxServiceWindow = window;
        audit.Record("connection.sandbox-window", "connection", connection.Id, $"{window.TotalSeconds:0} s");
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await db.Database.ExecuteSqlAsync($"""
            UPDATE conversations SET window_expires_at = last_inbound_at + {window}
            WHERE connection_id = {connection.Id} AND tenant_id = {connection.TenantId} AND last_inbound_at IS NOT NULL
            """, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return Summarize(connection);
    }

    public async Task<Outcome<bool>> RemoveAsync(Guid connectionId, CancellationToken cancellationToken)
    {
        if (member.Refuses(Permission.ManageWhatsApp) is { } refused)
        {
            return refused;
        }

        var connection = await db.WhatsAppConnections
            .SingleOrDefaultAsync(c => c.Id == connectionId && c.Status != WhatsAppConnectionStatus.Removed, cancellationToken);
        if (connection is null)
        {
            return UseCaseError.NotFound("No such WhatsApp connection in this organisation.");
        }

        var reason = await UnsubscribeAsync(connection, graph, protector, logger, cancellationToken);
        lifecycle.Remove(connection, reason);
        audit.Record("connection.remove", "connection", connection.Id, connection.Kind.ToString());
        await db.SaveChangesAsync(cancellationToken);
        return true;
    }

    /// <summary>
    /// Stops Meta's webhooks for a number being removed (by its business, or by the purge of a
    /// closed organisation). Best effort: Meta may already have revoked the token, and removal
    /// must not depend on it. Returns what the business should do by hand when it failed.
    /// </summary>
    internal static async Task<string?> UnsubscribeAsync(
        WhatsAppConnection connection, GraphApiClient graph, TokenProtector protector, ILogger logger, CancellationToken cancellationToken)
    {
        if (connection is not { Kind: WhatsAppConnectionKind.EmbeddedSignup, EncryptedAccessToken: not null })
        {
            return null;
        }

        try
        {
            var token = protector.AccessTokenOf(connection);
            await graph.UnsubscribeAppAsync(connection.WabaId, token, cancellationToken);
            return null;
        }
        catch (Exception ex) when (ex is GraphApiException or HttpRequestException or CryptographicException)
        {
            logger.LogWarning("Unsubscribing connection {ConnectionId} from its WABA failed: {Reason}", connection.Id, ex.Message);
            return "Could not unsubscribe the app from the WhatsApp Business Account; remove it in Meta Business Suite.";
        }
    }

    internal static ConnectionSummary Summarize(WhatsAppConnection c) => new(c.Id, c.Kind, c.Status, c.PhoneNumberId, c.WabaId,
        c.DisplayPhoneNumber, c.VerifiedName, c.QualityRating, c.StatusReason, c.CreatedAt, c.LastWebhookAt, c.SandboxServiceWindow);
}
