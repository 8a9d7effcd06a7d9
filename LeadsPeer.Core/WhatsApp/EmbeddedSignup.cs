using System.Security.Cryptography;
using LeadsPeer.Core.Accounts;
using LeadsPeer.Core.Audit;
using LeadsPeer.Core.Data;
using LeadsPeer.Core.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LeadsPeer.Core.WhatsApp;

/// <summary>
/// Connecting a real number through Meta's Embedded Signup: the anti-forgery state, then Meta's
/// code → token, the token's checks, the number read, the app subscribed, the number registered
/// and the connection stored. Any failure leaves nothing behind.
/// </summary>
public sealed class EmbeddedSignup(
    LeadsPeerDbContext db,
    CurrentMember member,
    GraphApiClient graph,
    TokenProtector protector,
    EmbeddedSignupState signupState,
    IOptions<WhatsAppOptions> options,
    AuditLog audit,
    TimeProvider time,
    ILogger<EmbeddedSignup> logger)
{
    private const string ManagementScope = "whatsapp_business_management";
    private const string MessagingScope = "whatsapp_business_messaging";

    public Outcome<EmbeddedSignupStart> StartEmbeddedSignup()
    {
        if (member.Refuses(Permission.ManageWhatsApp) is { } refused)
        {
            return refused;
        }

        if (!options.Value.EmbeddedSignupConfigured)
        {
            return UseCaseError.Conflict("Embedded Signup is not configured: set WhatsApp:AppId and WhatsApp:ConfigId.");
        }

        var state = signupState.Issue(member.UserId!.Value, member.OrganizationId!.Value);
        return new EmbeddedSignupStart(state, options.Value.AppId, options.Value.ConfigId, options.Value.GraphApiVersion);
    }

    /// <summary>
    /// Completes Embedded Signup: code → token, token checked, number read, app subscribed,
    /// number registered, connection stored. Any failure leaves nothing behind.
    /// </summary>
    public async Task<Outcome<ConnectionSummary>> CompleteEmbeddedSignupAsync(EmbeddedSignupRequest request, CancellationToken cancellationToken)
    {
        if (member.Refuses(Permission.ManageWhatsApp) is { } refused)
        {
            return refused;
        }

        if (!options.Value.EmbeddedSignupConfigured)
        {
            return UseCaseError.Conflict("Embedded Signup is not configured: set WhatsApp:AppId and WhatsApp:ConfigId.");
        }

        if (string.IsNullOrWhiteSpace(request.Code) || string.IsNullOrWhiteSpace(request.WabaId) || string.IsNullOrWhiteSpace(request.PhoneNumberId))
        {
            return UseCaseError.Invalid("code", "The code, the WABA id and the phone number id from Embedded Signup are all required.");
        }

        if (!signupState.IsValid(request.State, member.UserId!.Value, member.OrganizationId!.Value))
        {
            return UseCaseError.Forbidden("The sign-up state is missing, expired or not yours. Start Embedded Signup again.");
        }

        var takenElsewhere = await db.WhatsAppConnections.AcrossTenants()
            .AnyAsync(c => c.PhoneNumberId == request.PhoneNumberId && c.Status != WhatsAppConnectionStatus.Removed
                && c.TenantId != member.OrganizationId, cancellationToken);
        if (takenElsewhere)
        {
            return UseCaseError.Conflict("This phone number is already connected to another organisation on Leads Peer.");
        }

        string? token = null;
        PhoneNumberInfo number;
        var subscribed = false;
        var pin = RandomNumberGenerator.GetInt32(0, 1_000_000).ToString("D6");
        try
        {
            token = await graph.ExchangeCodeAsync(request.Code, cancellationToken);
            var grant = await graph.DebugTokenAsync(token, cancellationToken);
            if (CheckGrant(grant, request.WabaId) is { } refusal)
            {
                return refusal;
            }

            var numbers = await graph.GetPhoneNumbersAsync(request.WabaId, token, cancellationToken);
            if (numbers.FirstOrDefault(n => n.Id == request.PhoneNumberId) is not { } found)
            {
                return UseCaseError.Invalid("phoneNumberId", "That phone number does not belong to the WhatsApp Business Account you connected.");
            }

            number = found;
            await graph.SubscribeAppAsync(request.WabaId, token, cancellationToken);
            subscribed = true;
            await graph.RegisterAsync(request.PhoneNumberId, pin, token, cancellationToken);
        }
        catch (GraphApiException ex)
        {
            logger.LogWarning("Embedded Signup failed at Meta: {Code}/{Subcode}", ex.Code, ex.Subcode);
            if (subscribed)
            {
                // Undo the subscription, so a failed sign-up leaves nothing behind on Meta's side either.
                await UnsubscribeQuietlyAsync(request.WabaId, token!, cancellationToken);
            }

            return Describe(ex);
        }
        catch (HttpRequestException)
        {
            return UseCaseError.Conflict("Meta could not be reached. Nothing was connected; try again in a moment.");
        }

        // Re-authorising a number this organisation had connected revives its row, so its conversations carry on.
        var connection = await db.WhatsAppConnections
            .FirstOrDefaultAsync(c => c.PhoneNumberId == request.PhoneNumberId && c.Status != WhatsAppConnectionStatus.Removed, cancellationToken);
        if (connection is null)
        {
            connection = new WhatsAppConnection { PhoneNumberId = request.PhoneNumberId, WabaId = request.WabaId, CreatedAt = time.GetUtcNow() };
            db.WhatsAppConnections.Add(connection);
        }

        connection.TenantId = member.OrganizationId!.Value;
        connection.Kind = WhatsAppConnectionKind.EmbeddedSignup;
        ConnectionLifecycle.Activate(connection);
        connection.WabaId = request.WabaId;
        connection.DisplayPhoneNumber = number.DisplayPhoneNumber;
        connection.VerifiedName = number.VerifiedName;
        connection.QualityRating = number.QualityRating;
        connection.EncryptedAccessToken = protector.Protect(token!, SecretBinding.AccessToken(connection.TenantId, connection.Id));
        connection.EncryptedPin = protector.Protect(pin, SecretBinding.RegistrationPin(connection.TenantId, connection.Id));
        connection.TokenKeyId = protector.ActiveKeyId;
        audit.Record("connection.connect", "connection", connection.Id, "Embedded Signup");
        await db.SaveChangesAsync(cancellationToken);
        logger.LogInformation("WhatsApp connection {ConnectionId} completed through Embedded Signup", connection.Id);
        return ConnectionService.Summarize(connection);
    }

    private static readonly UseCaseError InvalidCode = UseCaseError.Invalid(
        "code", "Meta did not accept the sign-up code (it is used once and expires quickly). Run Embedded Signup again.");

    private static UseCaseError? CheckGrant(DebugTokenResult grant, string wabaId)
    {
        if (!grant.IsValid)
        {
            return UseCaseError.Forbidden("Meta says the granted token is not valid. Run Embedded Signup again.");
        }

        var missing = new[] { ManagementScope, MessagingScope }.Where(s => !grant.Scopes.Contains(s)).ToList();
        if (missing.Count > 0)
        {
            return UseCaseError.Forbidden($"Permission not granted: {string.Join(", ", missing)}. Run Embedded Signup again and allow every permission.");
        }

        var targets = grant.GranularScopes.Where(g => g.Scope is ManagementScope or MessagingScope).SelectMany(g => g.TargetIds);
        return targets.Contains(wabaId)
            ? null
            : UseCaseError.Forbidden("The permission granted does not cover that WhatsApp Business Account. Choose it during Embedded Signup.");
    }

    /// <summary>Meta's error codes, in words a business owner can act on.</summary>
    private static UseCaseError Describe(GraphApiException ex) => ex switch
    {
        // 36007: the code was used already or has expired (codes are single use and short-lived).
        { Code: 100, Subcode: 36007 } => InvalidCode,
        { Code: 100 } when ex.GraphMessage.Contains("code", StringComparison.OrdinalIgnoreCase) => InvalidCode,
        { Code: 190 } => UseCaseError.Forbidden("Meta rejected the access token. Run Embedded Signup again."),
        { Code: 10 } or { Code: >= 200 and <= 299 } => UseCaseError.Forbidden("A permission is missing on Meta's side. Run Embedded Signup again and allow every permission."),
        { Code: 133005 } => UseCaseError.Conflict("The two-step verification PIN did not match. Turn off two-step verification for the number in WhatsApp Manager, then connect again."),
        { Code: 133016 } or { Code: 133009 } => UseCaseError.Conflict("Too many registration attempts for this number. Meta allows 10 in 72 hours; try again later."),
        { Code: 133010 } or { Code: 133004 } => UseCaseError.Conflict("The number is not ready for the Cloud API (not verified, or still registered elsewhere). Finish its set-up in WhatsApp Manager."),
        { Code: 4 } or { Code: 80007 } => UseCaseError.Conflict("Meta is limiting requests right now. Nothing was connected; try again in a few minutes."),
        _ => UseCaseError.Conflict($"Meta refused the connection (error {ex.Code}). Nothing was connected; try again, or contact support with this code."),
    };

    private async Task UnsubscribeQuietlyAsync(string wabaId, string token, CancellationToken cancellationToken)
    {
        try
        {
            await graph.UnsubscribeAppAsync(wabaId, token, cancellationToken);
        }
        catch (Exception ex) when (ex is GraphApiException or HttpRequestException)
        {
            logger.LogWarning("Undoing the WABA subscription after a failed sign-up failed: {Reason}", ex.Message);
        }
    }
}
