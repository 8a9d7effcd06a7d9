using System.Text.Json.Nodes;
using LeadsPeer.Core.Data;
using LeadsPeer.Core.Security;
using Microsoft.EntityFrameworkCore;

namespace LeadsPeer.Core.WhatsApp;

/// <summary>
/// Graph on behalf of one WhatsApp connection: the gateway finds the connection, and the token
/// is decrypted only when a call is made (so a key problem surfaces as a
/// <see cref="System.Security.Cryptography.CryptographicException"/> from the call, where the
/// caller decides what it means).
/// </summary>
public sealed class GraphGateway(LeadsPeerDbContext db, GraphApiClient graph, TokenProtector protector)
{
    /// <summary>Graph for this connection, whatever its state (see <see cref="ConnectionGraph.CanCall"/>).</summary>
    public ConnectionGraph For(WhatsAppConnection connection) => new(graph, protector, connection);

    /// <summary>Graph for the connection a conversation runs on; null when that number cannot call Graph now (removed, needs re-authorisation, no token).</summary>
    public async Task<ConnectionGraph?> ForConversationAsync(Guid conversationId, CancellationToken cancellationToken)
    {
        var connection = await db.Conversations.Where(c => c.Id == conversationId)
            .Join(db.WhatsAppConnections, c => c.ConnectionId, w => w.Id, (_, w) => w)
            .AsNoTracking().SingleOrDefaultAsync(cancellationToken);
        return connection is null ? null : For(connection) is { CanCall: true } usable ? usable : null;
    }
}

/// <summary>One connection's Graph calls, with its kind (Meta or the sandbox simulator), number and token.</summary>
public sealed class ConnectionGraph(GraphApiClient graph, TokenProtector protector, WhatsAppConnection connection)
{
    public WhatsAppConnection Connection => connection;

    /// <summary>Active with a token: the only state in which the product calls Graph for a number.</summary>
    public bool CanCall => connection is { Status: WhatsAppConnectionStatus.Active, EncryptedAccessToken: not null };

    public Task<string> SendMessageAsync(string to, JsonObject message, CancellationToken cancellationToken) =>
        graph.SendMessageAsync(connection.Kind, connection.PhoneNumberId, Token(), to, message, cancellationToken);

    public Task MarkReadAsync(string waMessageId, bool typing, CancellationToken cancellationToken) =>
        graph.MarkReadAsync(connection.Kind, connection.PhoneNumberId, Token(), waMessageId, typing, cancellationToken);

    public Task<MediaInfo> GetMediaAsync(string mediaId, CancellationToken cancellationToken) =>
        graph.GetMediaAsync(connection.Kind, mediaId, Token(), cancellationToken);

    public bool IsMediaUrlAllowed(Uri url) => graph.IsMediaUrlAllowed(url);

    public Task<byte[]?> DownloadMediaAsync(Uri url, long maxBytes, CancellationToken cancellationToken) =>
        graph.DownloadMediaAsync(url, Token(), maxBytes, cancellationToken);

    public Task<(IReadOnlyList<JsonObject> Templates, string? Next)> ListTemplatesAsync(string? after, CancellationToken cancellationToken) =>
        graph.ListTemplatesAsync(connection.Kind, connection.WabaId, Token(), after, cancellationToken);

    public Task<JsonObject> CreateTemplateAsync(JsonObject template, CancellationToken cancellationToken) =>
        graph.CreateTemplateAsync(connection.Kind, connection.WabaId, Token(), template, cancellationToken);

    public Task DeleteTemplateAsync(string name, CancellationToken cancellationToken) =>
        graph.DeleteTemplateAsync(connection.Kind, connection.WabaId, Token(), name, cancellationToken);

    private string Token() => protector.AccessTokenOf(connection);
}
