using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace LeadsPeer.Core.Security;

/// <summary>A number of requests per window (a fixed window: simple to reason about and to state in a 429).</summary>
public sealed class WindowLimit
{
    public int Permits { get; set; }
    public TimeSpan Window { get; set; }

    public FixedWindowRateLimiterOptions Options() => new() { PermitLimit = Math.Max(1, Permits), Window = Window, QueueLimit = 0, AutoReplenishment = true };
}

/// <summary>
/// How much one address or one organisation may ask of one host process (the Api's routes, the
/// dashboard's sign-in forms). The counters are per process: with several replicas each allows
/// this much (set the limits per replica).
/// </summary>
public sealed class RateLimitOptions
{
    public const string Section = "RateLimits";

    /// <summary>Sign-in attempts from one address, whatever the account: a password spray.</summary>
    public WindowLimit SignInPerAddress { get; set; } = new() { Permits = 20, Window = TimeSpan.FromMinutes(1) };

    /// <summary>Sign-in attempts on one account from one address: slows guessing long before the account's lockout, which anyone could trigger.</summary>
    public WindowLimit SignInPerAccount { get; set; } = new() { Permits = 10, Window = TimeSpan.FromMinutes(15) };

    /// <summary>Sign-ups, password-reset requests and resets, invitation acceptances from one address: no inbox bombing, no mass sign-up.</summary>
    public WindowLimit AccountsPerAddress { get; set; } = new() { Permits = 20, Window = TimeSpan.FromMinutes(15) };

    /// <summary>Sandbox customer messages per organisation: each becomes a signed webhook, an AI reply and its statuses.</summary>
    public WindowLimit SandboxPerOrganization { get; set; } = new() { Permits = 120, Window = TimeSpan.FromMinutes(1) };

    /// <summary>Knowledge uploads per organisation: each is parsed and embedded by the Worker.</summary>
    public WindowLimit UploadsPerOrganization { get; set; } = new() { Permits = 60, Window = TimeSpan.FromMinutes(10) };

    /// <summary>Every other write (POST, PUT, DELETE) per organisation.</summary>
    public WindowLimit WritesPerOrganization { get; set; } = new() { Permits = 1200, Window = TimeSpan.FromMinutes(1) };
}

/// <summary>Sign-in attempts per (account, address), counted inside the sign-in (the account is in the body), by the Api and the dashboard alike.</summary>
public sealed class SignInThrottle(IOptions<RateLimitOptions> options) : IDisposable
{
    private readonly PartitionedRateLimiter<string> _limiter =
        PartitionedRateLimiter.Create<string, string>(key => RateLimitPartition.GetFixedWindowLimiter(key, _ => options.Value.SignInPerAccount.Options()));

    /// <summary>Null when the attempt may go on; otherwise when to try again.</summary>
    public TimeSpan? Refuse(string email, HttpContext context)
    {
        using var lease = _limiter.AttemptAcquire($"{email.ToUpperInvariant()}|{context.Connection.RemoteIpAddress}");
        return lease.IsAcquired ? null : lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : options.Value.SignInPerAccount.Window;
    }

    public void Dispose() => _limiter.Dispose();
}

public static class RateLimitOptionsExtensions
{
    /// <summary>The limits' settings (<c>RateLimits:*</c>) and the per-account sign-in throttle, for a host that signs people in.</summary>
    public static IServiceCollection AddSignInLimits(this IServiceCollection services)
    {
        services.AddOptions<RateLimitOptions>().BindConfiguration(RateLimitOptions.Section);
        services.AddSingleton<SignInThrottle>();
        return services;
    }
}
