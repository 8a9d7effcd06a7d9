using LeadsPeer.Core.Security;

namespace LeadsPeer.Core.WhatsApp;

public static class ConnectionTokens
{
    /// <summary>
    /// The connection's access token in clear, for one Graph call; bound to its tenant and
    /// connection, so a token copied to another row does not decrypt.
    /// </summary>
    public static string AccessTokenOf(this TokenProtector protector, WhatsAppConnection connection) =>
        protector.Unprotect(
            connection.EncryptedAccessToken ?? throw new InvalidOperationException("The connection has no access token."),
            SecretBinding.AccessToken(connection.TenantId, connection.Id));
}
