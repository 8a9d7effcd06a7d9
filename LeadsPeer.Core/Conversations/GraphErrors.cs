using System.Net;
using LeadsPeer.Core.WhatsApp;

namespace LeadsPeer.Core.Conversations;

/// <summary>What a Graph error means for a message being sent.</summary>
public enum GraphErrorMeaning
{
    /// <summary>Meta no longer accepts the number's token (190, or 0 "auth exception"): the number needs connecting again.</summary>
    TokenRejected,

    /// <summary>The 24-hour window is closed after all (131047): only templates now.</summary>
    WindowClosed,

    /// <summary>Rate limits, throttling, Meta's own trouble: Graph did not take it, so it is tried again later.</summary>
    Transient,

    /// <summary>Anything else (bad parameters, recipient not on WhatsApp, policy): final.</summary>
    Permanent,
}

/// <summary>
/// Meta's error codes, read once for every part of the product: the sender (what to do with the
/// message), the connection's health (what the owner is told) and the operator (why a message failed).
/// </summary>
public static class GraphErrors
{
    /// <summary>The connection's health when Meta rejects its token, shown on the WhatsApp page.</summary>
    public const string TokenRejectedHealth = "Meta rejected the access token (expired or revoked): connect the number again to resume sending.";

    /// <summary>The failed message's reason when Meta rejects the token.</summary>
    public const string TokenRejectedMessage = "Meta rejected the number's access token: connect the number again, then resend.";

    /// <summary>Why a message is not sent from a number whose token Meta rejected earlier.</summary>
    public const string NeedsReauthorizationRefusal =
        "Meta no longer accepts this number's access token: connect the number again (Embedded Signup) to resume sending.";

    public const string SuspendedRefusal = "Not sent: the organisation is closing, and its WhatsApp numbers are suspended.";

    public const string RemovedRefusal = "This WhatsApp number has been removed from the organisation.";

    public const string NoTokenRefusal = "This WhatsApp number has no access token: connect it again to send from it.";

    public const string UndecryptableToken = "The connection's access token cannot be decrypted with the configured keys: connect the number again.";

    public static GraphErrorMeaning Meaning(GraphApiException error) => error.Code switch
    {
        190 or 0 => GraphErrorMeaning.TokenRejected,
        131047 => GraphErrorMeaning.WindowClosed,
        130429 or 131057 or 131056 or 1 or 2 or 4 or 80007 or 131000 => GraphErrorMeaning.Transient,
        // Meta answers some permanent refusals with a 5xx; those stay final, other 5xx are Meta's trouble.
        // Template refusals (parameters, missing, too long, policy, paused, disabled; the customer
        // stopped marketing; Meta chose not to deliver) are final too: a retry would be refused alike.
        not (100 or 131026 or 131031 or 368 or 132000 or 132001 or 132005 or 132007 or 132012 or 132015 or 132016 or 131049 or 131050)
            when error.Status >= HttpStatusCode.InternalServerError => GraphErrorMeaning.Transient,
        _ => GraphErrorMeaning.Permanent,
    };

    /// <summary>The operator's words for a message Graph kept refusing until the attempts ran out.</summary>
    public static string GaveUp(string reason) => $"WhatsApp kept refusing the message ({reason}); it was not sent.";
}
