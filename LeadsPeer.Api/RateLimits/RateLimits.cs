using System.Globalization;
using System.Threading.RateLimiting;
using LeadsPeer.Core.Accounts;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace LeadsPeer.Api.RateLimits;

/// <summary>A number of requests per window (a fixed window: simple to reason about and to state in a 429).</summary>
public sealed class WindowLimit
{
    public int Permits { get; set; }
    public TimeSpan Window { get; set; }

    internal FixedWindowRateLimiterOptions Options() => new() { PermitLimit = Math.Max(1, Permits), Window = Window, QueueLimit = 0, AutoReplenishment = true };
}

/// <summary>
/// How much one address or one organisation may ask of this Api process. The counters are per
/// process: with several Api replicas each allows this much (set the limits per replica).
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

/// <summary>
/// ASP.NET Core's rate limiter for the Api: named policies on the routes a flood targets, a global
/// limit on every organisation's writes, and a 429 problem with <c>Retry-After</c> for all of them.
/// </summary>
public static class RateLimitExtensions
{
    public const string SignIn = "sign-in";
    public const string Accounts = "accounts";
    public const string Sandbox = "sandbox";
    public const string Uploads = "uploads";

    public static IServiceCollection AddApiRateLimits(this IServiceCollection services)
    {
        services.AddOptions<RateLimitOptions>().BindConfiguration(RateLimitOptions.Section);
        services.AddSingleton<SignInThrottle>();
        services.AddRateLimiter(options =>
        {
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.AddPolicy(SignIn, context => RateLimitPartition.GetFixedWindowLimiter(Address(context), _ => Limits(context).SignInPerAddress.Options()));
            options.AddPolicy(Accounts, context => RateLimitPartition.GetFixedWindowLimiter(Address(context), _ => Limits(context).AccountsPerAddress.Options()));
            options.AddPolicy(Sandbox, context => RateLimitPartition.GetFixedWindowLimiter(Organization(context), _ => Limits(context).SandboxPerOrganization.Options()));
            options.AddPolicy(Uploads, context => RateLimitPartition.GetFixedWindowLimiter(Organization(context), _ => Limits(context).UploadsPerOrganization.Options()));
            // Every member's writes, whichever route: a forgotten policy still has a ceiling.
            options.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
                IsWrite(context) && context.RequestServices.GetRequiredService<CurrentMember>().OrganizationId is { } organization
                    ? RateLimitPartition.GetFixedWindowLimiter(organization.ToString(), _ => Limits(context).WritesPerOrganization.Options())
                    : RateLimitPartition.GetNoLimiter(string.Empty));
            options.OnRejected = (context, _) =>
                new(TooMany(context.HttpContext, context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : null).ExecuteAsync(context.HttpContext));
        });
        return services;
    }

    /// <summary>The 429 every limit answers: problem details, and when to try again in seconds (<c>Retry-After</c>).</summary>
    public static Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult TooMany(HttpContext context, TimeSpan? retryAfter)
    {
        var seconds = (int)Math.Ceiling(Math.Max(1, (retryAfter ?? TimeSpan.FromMinutes(1)).TotalSeconds));
        context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        return TypedResults.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: "Too many requests.", detail: $"Try again in {seconds} s.");
    }

    private static RateLimitOptions Limits(HttpContext context) => context.RequestServices.GetRequiredService<IOptions<RateLimitOptions>>().Value;

    // Behind a proxy every caller shares the proxy's address until forwarded headers are trusted.
    private static string Address(HttpContext context) => context.Connection.RemoteIpAddress?.ToString() ?? "unknown";

    private static string Organization(HttpContext context) =>
        context.RequestServices.GetRequiredService<CurrentMember>().OrganizationId?.ToString() ?? Address(context);

    private static bool IsWrite(HttpContext context) =>
        !HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method) && !HttpMethods.IsOptions(context.Request.Method)
        && context.Request.Path.StartsWithSegments("/api");
}

/// <summary>Sign-in attempts per (account, address), counted inside the sign-in (the account is in the body).</summary>
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
